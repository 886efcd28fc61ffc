package org.gitopssync.secrets.install;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.gitopssync.secrets.SecretsException;

/**
 * Resolves manifest owners and groups to this host's principals by name, before anything is written, so an
 * unknown user fails the cycle instead of leaving a half-written generation.
 */
final class Owners {

    /** The group sops-nix gives the secrets directories, when the host has it. */
    static final String KEYS_GROUP = "keys";

    private final UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
    private final Path passwd;
    private final Map<String, UserPrincipal> users = new HashMap<>();
    private final Map<String, GroupPrincipal> groups = new HashMap<>();

    Owners() {
        this(Path.of("/etc/passwd"));
    }

    Owners(Path passwd) {
        this.passwd = passwd;
    }

    /** Owner and group for an item; the group defaults to the owner's primary group. */
    ResolvedAccess resolve(Access access) {
        UserPrincipal owner = user(access.owner())
                .orElseThrow(() -> new SecretsException("owner \"" + access.owner() + "\" is not a user on this host"));
        String groupName = access.group().orElseGet(() -> primaryGroup(access.owner()));
        GroupPrincipal group = group(groupName).orElseThrow(() -> new SecretsException("group \""
                + groupName + "\" is not a group on this host"));
        return new ResolvedAccess(owner, group, access.mode());
    }

    /** root:keys for the directories, or root:root where there is no keys group. */
    ResolvedAccess directories() {
        UserPrincipal root = user("root").orElseThrow(() -> new SecretsException("no root user on this host"));
        GroupPrincipal group = group(KEYS_GROUP).or(() -> group("root"))
                .orElseThrow(() -> new SecretsException("neither a keys nor a root group on this host"));
        return new ResolvedAccess(root, group, 0751);
    }

    private Optional<UserPrincipal> user(String name) {
        if (!users.containsKey(name)) {
            try {
                users.put(name, lookup.lookupPrincipalByName(name));
            } catch (UserPrincipalNotFoundException e) {
                users.put(name, null);
            } catch (IOException e) {
                throw new SecretsException("cannot look up user " + name + ": " + e.getMessage(), e);
            }
        }
        return Optional.ofNullable(users.get(name));
    }

    private Optional<GroupPrincipal> group(String name) {
        if (!groups.containsKey(name)) {
            try {
                groups.put(name, lookup.lookupPrincipalByGroupName(name));
            } catch (UserPrincipalNotFoundException e) {
                groups.put(name, null);
            } catch (IOException e) {
                throw new SecretsException("cannot look up group " + name + ": " + e.getMessage(), e);
            }
        }
        return Optional.ofNullable(groups.get(name));
    }

    /** The numeric primary group from the passwd file (the lookup service accepts numeric group ids). */
    private String primaryGroup(String user) {
        if (user.equals("root")) {
            return "root";
        }
        try {
            for (String line : Files.readAllLines(passwd)) {
                String[] fields = line.split(":", -1);
                if (fields.length >= 4 && fields[0].equals(user)) {
                    return fields[3];
                }
            }
        } catch (IOException e) {
            throw new SecretsException("cannot read " + passwd + " for the primary group of " + user
                    + "; set group = \"...\" explicitly", e);
        }
        throw new SecretsException("user " + user + " is not in " + passwd
                + ", so its primary group is unknown; set group = \"...\" explicitly");
    }
}
