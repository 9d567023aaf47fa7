package dev.postvault.imap.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** THREAD=REFERENCES (RFC 5256 §2.2 of the THREAD section, after Jamie Zawinski's algorithm). */
final class ReferencesThreader {
    /** A message as the algorithm sees it. */
    record Msg(long number, int msn, String messageId, List<String> references, String baseSubject, boolean reply, Instant sent) {}

    static final class Node {
        Msg msg;
        Node parent;
        final List<Node> children = new ArrayList<>();

        Instant date() {
            return msg != null ? msg.sent() : children.isEmpty() ? Instant.EPOCH : children.getFirst().date();
        }

        int msn() {
            return msg != null ? msg.msn() : children.isEmpty() ? 0 : children.getFirst().msn();
        }
    }

    private static final Comparator<Node> BY_DATE = Comparator.comparing(Node::date).thenComparingInt(Node::msn);

    private ReferencesThreader() {}

    static List<Node> thread(List<Msg> messages) {
        Map<String, Node> ids = new LinkedHashMap<>();
        int unique = 0;
        // Step 1: containers by Message-ID, linked along References.
        for (Msg m : messages) {
            String id = m.messageId().isEmpty() ? "\u0000dummy-" + unique++ : m.messageId();
            Node node = ids.computeIfAbsent(id, k -> new Node());
            if (node.msg != null) { // a duplicate Message-ID is a message of its own
                node = new Node();
                ids.put("\u0000dup-" + unique++, node);
            }
            node.msg = m;
            Node prev = null;
            for (String ref : m.references()) {
                Node r = ids.computeIfAbsent(ref, k -> new Node());
                if (prev != null && r.parent == null && r != prev && !isAncestor(r, prev)) link(prev, r);
                prev = r;
            }
            // 1.C: the last reference is the parent, replacing a parent presumed earlier.
            if (node.parent != null) unlink(node);
            if (prev != null && prev != node && !isAncestor(node, prev)) link(prev, node);
        }
        // Step 2: the root set.
        List<Node> roots = new ArrayList<>();
        for (Node n : ids.values()) if (n.parent == null) roots.add(n);
        // Step 4: prune empty containers.
        prune(roots, true);
        // Step 5: sort the root set (children first, so a dummy's date is its first child's).
        for (Node r : roots) sortBelow(r);
        roots.sort(BY_DATE);
        // Step 6: gather roots that share a base subject.
        Map<String, Node> table = new HashMap<>();
        for (Node r : roots) {
            Msg m = representative(r);
            if (m == null || m.baseSubject().isEmpty()) continue;
            Node old = table.get(m.baseSubject());
            if (old == null || (r.msg == null && old.msg != null)
                    || (old.msg != null && old.msg.reply() && r.msg != null && !r.msg.reply())) {
                table.put(m.baseSubject(), r);
            }
        }
        for (Node r : List.copyOf(roots)) {
            Msg m = representative(r);
            if (m == null || m.baseSubject().isEmpty()) continue;
            Node t = table.get(m.baseSubject());
            if (t == null || t == r) continue;
            roots.remove(r);
            if (t.msg == null && r.msg == null) {
                for (Node c : List.copyOf(r.children)) {
                    unlink(c);
                    link(t, c);
                }
            } else if (t.msg == null) {
                link(t, r);
            } else if (r.msg != null && r.msg.reply() && !t.msg.reply()) {
                link(t, r);
            } else {
                Node dummy = new Node();
                roots.set(roots.indexOf(t), dummy);
                link(dummy, t);
                link(dummy, r);
                table.put(m.baseSubject(), dummy);
            }
        }
        // RFC 5256 REFERENCES step (6): siblings in date order, a dummy by its first child, and the
        // root set sorted again ("use the first child for the top-level sort"): subject gathering
        // may have put an earlier thread under a root that stood later.
        for (Node r : roots) sortBelow(r);
        roots.sort(BY_DATE);
        return roots;
    }

    private static Msg representative(Node n) {
        return n.msg != null ? n.msg : n.children.isEmpty() ? null : n.children.getFirst().msg;
    }

    private static void sortBelow(Node n) {
        for (Node c : n.children) sortBelow(c);
        n.children.sort(BY_DATE);
    }

    /** Step 4: drop empty dummies; promote a dummy's children unless it is a root with several. */
    private static void prune(List<Node> siblings, boolean root) {
        for (int i = 0; i < siblings.size(); i++) {
            Node n = siblings.get(i);
            prune(n.children, false);
            if (n.msg != null) continue;
            if (n.children.isEmpty()) {
                siblings.remove(i--);
            } else if (!root || n.children.size() == 1) {
                List<Node> kids = List.copyOf(n.children);
                siblings.remove(i);
                for (Node k : kids) k.parent = n.parent;
                siblings.addAll(i, kids);
                i--; // look at the promoted children again
            }
        }
    }

    private static boolean isAncestor(Node candidate, Node of) {
        for (Node p = of; p != null; p = p.parent) if (p == candidate) return true;
        return false;
    }

    private static void link(Node parent, Node child) {
        child.parent = parent;
        parent.children.add(child);
    }

    private static void unlink(Node child) {
        if (child.parent != null) child.parent.children.remove(child);
        child.parent = null;
    }

    /** RFC 5256 §4 thread-list: a single child continues the chain, several are each parenthesised. */
    static String render(List<Node> roots) {
        StringBuilder out = new StringBuilder();
        for (Node r : roots) {
            out.append('(');
            renderNode(r, out);
            out.append(')');
        }
        return out.toString();
    }

    private static void renderNode(Node n, StringBuilder out) {
        if (n.msg != null) out.append(n.msg.number());
        if (n.children.size() == 1) {
            if (n.msg != null) out.append(' ');
            renderNode(n.children.getFirst(), out);
        } else if (n.children.size() > 1) {
            if (n.msg != null) out.append(' ');
            for (Node c : n.children) {
                out.append('(');
                renderNode(c, out);
                out.append(')');
            }
        }
    }
}
