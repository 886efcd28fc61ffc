package org.gitopssync.faults;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * JGit's smart-HTTP server (GitServlet) in Jetty on 127.0.0.1, plain HTTP, that can be told to hold every
 * pack request ({@code POST .../git-upload-pack}) while still answering ref advertisements: a remote that
 * lists its branches at once and then sends the pack very slowly.
 */
final class SlowGitServerDouble implements AutoCloseable {

    private final Server server;
    private final AtomicInteger held = new AtomicInteger();
    private volatile CountDownLatch release = new CountDownLatch(0);

    SlowGitServerDouble(Path gitDir) throws Exception {
        Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
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
        context.addFilter(new FilterHolder(new Hold()), "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/git/fleet.git";
    }

    /** From now on pack requests wait until {@link #release()}. */
    void hold() {
        release = new CountDownLatch(1);
    }

    void release() {
        release.countDown();
    }

    /** Pack requests waiting right now. */
    int held() {
        return held.get();
    }

    @Override
    public void close() throws Exception {
        release();
        server.stop();
    }

    private final class Hold implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest req = (HttpServletRequest) request;
            CountDownLatch gate = release;
            if (req.getMethod().equals("POST") && req.getRequestURI().endsWith("/git-upload-pack") && gate.getCount() > 0) {
                held.incrementAndGet();
                try {
                    gate.await(5, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } finally {
                    held.decrementAndGet();
                }
            }
            chain.doFilter(request, response);
        }
    }
}
