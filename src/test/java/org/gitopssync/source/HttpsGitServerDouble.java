package org.gitopssync.source;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * JGit's real smart-HTTP server (GitServlet) in Jetty over TLS on 127.0.0.1, requiring a token
 * as the Basic-auth password the way GitHub, Gitea and GitLab do. It records request URIs so a
 * test can prove the token never travelled in a URL.
 */
final class HttpsGitServerDouble implements AutoCloseable {

    private final Server server;
    private final List<String> requestUris = new CopyOnWriteArrayList<>();

    HttpsGitServerDouble(Path gitDir, String token, Path keyStore, String keyStorePassword) throws Exception {
        Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build();
        server = new Server();
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(keyStore.toString());
        ssl.setKeyStorePassword(keyStorePassword);
        ssl.setKeyStoreType("PKCS12");
        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false);
        http.addCustomizer(src);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        GitServlet git = new GitServlet();
        git.setRepositoryResolver((req, name) -> {
            repo.incrementOpen();
            return repo;
        });
        context.addServlet(new ServletHolder(git), "/git/*");
        context.addFilter(new FilterHolder(new TokenFilter(token, requestUris)), "/*",
                EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
        server.setHandler(context);
        server.start();
    }

    String url() {
        int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        return "https://127.0.0.1:" + port + "/git/fleet.git";
    }

    List<String> requestUris() {
        return List.copyOf(requestUris);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private record TokenFilter(String token, List<String> uris) implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest req = (HttpServletRequest) request;
            uris.add(req.getRequestURI() + (req.getQueryString() == null ? "" : "?" + req.getQueryString()));
            String auth = req.getHeader("Authorization");
            if (auth != null && auth.startsWith("Basic ")) {
                String decoded = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
                if (decoded.endsWith(":" + token)) {
                    chain.doFilter(request, response);
                    return;
                }
            }
            HttpServletResponse res = (HttpServletResponse) response;
            res.setHeader("WWW-Authenticate", "Basic realm=\"git\"");
            res.sendError(401);
        }
    }
}
