package dev.postvault.store.mailbox;

import dev.postvault.store.StoreException;

/**
 * Folder name rules: "/" separates levels (the IMAP hierarchy delimiter); no empty level, no
 * wildcard or control characters, at most {@link #MAX_CHARS} characters and {@link #MAX_DEPTH}
 * levels. "INBOX" in any case is the inbox (RFC 9051 §5.1).
 */
public final class FolderNames {
    public static final char DELIMITER = '/';
    public static final int MAX_CHARS = 255;
    public static final int MAX_DEPTH = 16;

    private FolderNames() {}

    /** The canonical form of a name a client gave, or INVALID. A trailing delimiter is dropped. */
    public static String canonical(String name) {
        String n = name.endsWith(String.valueOf(DELIMITER)) ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty() || n.length() > MAX_CHARS) throw StoreException.invalid("invalid folder name");
        String[] levels = n.split(String.valueOf(DELIMITER), -1);
        if (levels.length > MAX_DEPTH) throw StoreException.invalid("folder hierarchy too deep");
        for (String l : levels) {
            if (l.isEmpty()) throw StoreException.invalid("invalid folder name");
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '*' || c == '%') throw StoreException.invalid("invalid character in folder name");
        }
        if (levels[0].equalsIgnoreCase(Folder.INBOX)) {
            levels[0] = Folder.INBOX;
            return String.join(String.valueOf(DELIMITER), levels);
        }
        return n;
    }

    /** The names of every ancestor, outermost first ("a/b/c" gives "a", "a/b"). */
    public static java.util.List<String> ancestors(String name) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int i = name.indexOf(DELIMITER);
        while (i >= 0) {
            out.add(name.substring(0, i));
            i = name.indexOf(DELIMITER, i + 1);
        }
        return out;
    }
}
