package org.gitopssync.secrets.sops;

import java.util.ArrayList;
import java.util.List;

/**
 * A yaml.v3 node as sops builds it from the tree (treeValueToNode, appendTreeBranch, appendSequence): comment
 * items become head comments of the next key or item, inline comments line comments of the next value, and
 * trailing comments the foot comment of the last key or item.
 */
final class YamlNode {

    final Object scalar;
    final List<YamlNode> children = new ArrayList<>();
    final boolean mapping;
    final boolean sequence;
    String head = "";
    String line = "";
    String foot = "";

    private YamlNode(Object scalar, boolean mapping, boolean sequence) {
        this.scalar = scalar;
        this.mapping = mapping;
        this.sequence = sequence;
    }

    static YamlNode from(Object value) {
        if (value instanceof SopsBranch branch) {
            return fromItems(new YamlNode(null, true, false), new ArrayList<>(branch.items()));
        }
        if (value instanceof List<?> list) {
            return fromItems(new YamlNode(null, false, true), new ArrayList<>(list));
        }
        return new YamlNode(value, false, false);
    }

    private static YamlNode fromItems(YamlNode collection, List<Object> items) {
        List<String> head = new ArrayList<>();
        List<String> inline = new ArrayList<>();
        boolean beginning = true;
        YamlNode last = null;
        for (Object item : items) {
            if (item instanceof Comment comment) {
                (comment.inline() ? inline : head).add(comment.text());
                continue;
            }
            if (beginning) {
                collection.head = prepend(join(head), collection.head);
                head.clear();
                beginning = false;
            }
            YamlNode child;
            if (item instanceof KeyValue pair) {
                YamlNode key = new YamlNode(pair.key(), false, false);
                key.head = prepend(join(head), key.head);
                child = from(pair.value());
                collection.children.add(key);
                last = key;
            } else {
                child = from(item);
                child.head = prepend(join(head), child.head);
                last = child;
            }
            head.clear();
            child.line = append(child.line, join(inline));
            inline.clear();
            collection.children.add(child);
        }
        head.addAll(inline);
        String trailing = join(head);
        if (!trailing.isEmpty()) {
            if (last == null) {
                collection.head = prepend(trailing, collection.head);
            } else {
                last.foot = append(last.foot, trailing);
            }
        }
        return collection;
    }

    private static String join(List<String> comments) {
        return comments.isEmpty() ? "" : "#" + String.join("\n#", comments);
    }

    private static String prepend(String comment, String existing) {
        return comment.isEmpty() ? existing : existing.isEmpty() ? comment : comment + "\n" + existing;
    }

    private static String append(String existing, String comment) {
        return comment.isEmpty() ? existing : existing.isEmpty() ? comment : existing + "\n" + comment;
    }
}
