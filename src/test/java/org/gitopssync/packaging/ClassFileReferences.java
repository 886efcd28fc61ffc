package org.gitopssync.packaging;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one class file names, read from its constant pool (JVMS 4.4): the classes it refers to (class entries, and the
 * types in its field and method descriptors and generic signatures) and its string constants, which name the classes
 * it may load by name. Internal names, with slashes.
 */
record ClassFileReferences(Set<String> classes, List<String> strings) {

    private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([^;<>]+)[;<]");

    static ClassFileReferences read(byte[] classFile) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IllegalArgumentException("not a class file");
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            Map<Integer, String> utf8 = new HashMap<>();
            Set<Integer> classEntries = new LinkedHashSet<>();
            Set<Integer> stringEntries = new LinkedHashSet<>();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8.put(i, in.readUTF());
                    case 7 -> classEntries.add(in.readUnsignedShort());
                    case 8 -> stringEntries.add(in.readUnsignedShort());
                    case 16, 19, 20 -> in.skipBytes(2);
                    case 15 -> in.skipBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                    case 5, 6 -> {
                        in.skipBytes(8);
                        i++;
                    }
                    default -> throw new IllegalArgumentException("constant pool tag " + tag + " at entry " + i);
                }
            }
            Set<String> classes = new LinkedHashSet<>();
            for (int entry : classEntries) {
                String name = utf8.get(entry);
                if (name.startsWith("[")) {
                    typesIn(name, classes);
                } else {
                    classes.add(name);
                }
            }
            // descriptors and signatures are UTF-8 entries of their own (name-and-type, method type, attributes)
            for (String text : utf8.values()) {
                if (text.startsWith("(") || text.startsWith("<") || text.startsWith("L") && text.endsWith(";")) {
                    typesIn(text, classes);
                }
            }
            return new ClassFileReferences(classes, stringEntries.stream().map(utf8::get).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void typesIn(String descriptor, Set<String> into) {
        Matcher m = TYPE_IN_DESCRIPTOR.matcher(descriptor);
        while (m.find()) {
            into.add(m.group(1));
        }
    }
}
