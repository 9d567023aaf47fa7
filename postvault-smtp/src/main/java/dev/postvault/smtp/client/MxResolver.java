package dev.postvault.smtp.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Where mail for a domain goes (RFC 5321 §5.1), asked of one configured resolver with dnsjava: the
 * MX hosts in preference order (equal preferences shuffled, §5.1), each with its addresses; without
 * MX records the domain itself as the only host (the implicit MX); a null MX (RFC 7505) means the
 * domain takes no mail. Thread-safe.
 */
public final class MxResolver {

    /** One host to try, with the addresses it resolved to (IPv6 first when it has both). */
    public record Host(String name, int preference, List<InetAddress> addresses) {}

    /** The answer for a domain. */
    public sealed interface Route {
        /** Hosts to try in this order; never empty. */
        record Hosts(List<Host> hosts) implements Route {}

        /** The domain publishes a null MX (RFC 7505 §3): mail to it fails permanently. */
        record NoMail() implements Route {}

        /** The domain does not exist, or has neither MX nor address records: a permanent failure. */
        record NoSuchDomain() implements Route {}

        /** The resolver failed or timed out: try again later. */
        record Temporary(String reason) implements Route {}
    }

    private final org.xbill.DNS.Resolver resolver;
    /** The same server asked with the DNSSEC OK bit (RFC 3225), whose AD bit says whether an answer validated. */
    private final org.xbill.DNS.Resolver dnssec;
    private final Random random;
    /**
     * Answers kept for their TTL (dnsjava's cache honours each record's TTL and the SOA minimum for
     * negative answers): a burst of mail to one domain asks the resolver once, not three times a message.
     */
    private final org.xbill.DNS.Cache cache = new org.xbill.DNS.Cache(DClass.IN);

    /**
     * @param resolver the DNS server to ask (e.g. a validating local resolver)
     * @param timeout how long one query may take
     */
    public MxResolver(InetSocketAddress resolver, Duration timeout) {
        this(resolver, timeout, new Random());
    }

    MxResolver(InetSocketAddress resolver, Duration timeout, Random random) {
        this(new SimpleResolver(resolver), new SimpleResolver(resolver), timeout, random);
    }

    /**
     * Asks DNS over HTTPS (RFC 8484) at {@code uri}, e.g. {@code https://dns.example/dns-query}, with
     * dnsjava's DohResolver: queries and answers cross the network encrypted, so the destinations of a
     * server's mail are not shown to every network on the way to a plain resolver. The server's
     * certificate is checked against the JVM's trusted roots.
     */
    public static MxResolver overHttps(java.net.URI uri, Duration timeout) {
        if (!"https".equalsIgnoreCase(uri.getScheme())) throw new IllegalArgumentException("DNS over HTTPS needs an https:// address");
        return new MxResolver(new org.xbill.DNS.DohResolver(uri.toString()), new org.xbill.DNS.DohResolver(uri.toString()), timeout, new Random());
    }

    private MxResolver(org.xbill.DNS.Resolver resolver, org.xbill.DNS.Resolver dnssec, Duration timeout, Random random) {
        this.resolver = resolver;
        this.resolver.setTimeout(timeout);
        this.dnssec = dnssec;
        this.dnssec.setTimeout(timeout);
        this.dnssec.setEDNS(0, 1232, org.xbill.DNS.ExtendedFlags.DO, List.of()); // RFC 3225: DO; 1232 octets (DNS flag day 2020)
        this.random = random;
        this.cache.setMaxEntries(10_000);
    }

    /** The route to {@code domain} (an ASCII domain, A-labels for IDNs). */
    public Route route(String domain) {
        Name name;
        try {
            String d = domain.toLowerCase(java.util.Locale.ROOT); // DNS names compare case-insensitively (RFC 4343)
            name = Name.fromString(d.endsWith(".") ? d : d + ".");
        } catch (TextParseException e) {
            return new Route.NoSuchDomain();
        }
        Lookup mx = lookup(name, Type.MX);
        switch (mx.getResult()) {
            case Lookup.SUCCESSFUL -> {
                List<MXRecord> records = new ArrayList<>();
                for (Record r : mx.getAnswers()) if (r instanceof MXRecord m) records.add(m);
                // RFC 7505 §3: a single MX with the root as target and preference 0 says "no mail".
                if (records.size() == 1 && records.getFirst().getTarget().equals(Name.root)) return new Route.NoMail();
                return hosts(records);
            }
            case Lookup.TYPE_NOT_FOUND -> {
                // RFC 5321 §5.1: no MX records, so the domain itself is the (implicit) MX with preference 0.
                Host implicit = addresses(name.toString(true), 0, name);
                if (implicit == null) return new Route.Temporary("address lookup failed");
                return implicit.addresses().isEmpty() ? new Route.NoSuchDomain() : new Route.Hosts(List.of(implicit));
            }
            case Lookup.HOST_NOT_FOUND -> {
                return new Route.NoSuchDomain();
            }
            default -> {
                return new Route.Temporary(mx.getErrorString());
            }
        }
    }

    /**
     * A DNSSEC-aware answer, as the configured resolver judged it: it must be a validating resolver
     * the server trusts (on the host or on a trusted path), whose AD bit (RFC 4035 §3.2.3) is believed.
     */
    public sealed interface Secured<T> {
        /** Validated, with these records (possibly none: a secure denial). */
        record Secure<T>(List<T> records) implements Secured<T> {}

        /** Answered, but not validated (an unsigned zone, or a resolver that does not validate). */
        record Insecure<T>() implements Secured<T> {}

        /** No usable answer: SERVFAIL (a bogus answer, for a validating resolver) or a timeout. */
        record Failed<T>(String reason) implements Secured<T> {}
    }

    /** Whether the domain's MX RRset validated (RFC 7672 §2.2.1: DANE applies only to MX hosts found securely). */
    public Secured<String> mxSecurely(String domain) {
        return secured(domain, Type.MX, r -> r instanceof MXRecord m ? m.getTarget().toString(true).toLowerCase(java.util.Locale.ROOT) : null);
    }

    /** The TLSA records of {@code _PORT._tcp.HOST} (RFC 7672 §2.2.2, RFC 6698 §3). */
    public Secured<DaneVerifier.Tlsa> tlsa(String host, int port) {
        return secured("_" + port + "._tcp." + host, Type.TLSA, r -> r instanceof org.xbill.DNS.TLSARecord t
                ? new DaneVerifier.Tlsa(t.getCertificateUsage(), t.getSelector(), t.getMatchingType(), t.getCertificateAssociationData())
                : null);
    }

    private <T> Secured<T> secured(String name, int type, java.util.function.Function<Record, T> map) {
        try {
            Name n = Name.fromString(name.endsWith(".") ? name : name + ".");
            org.xbill.DNS.Message response = dnssec.send(org.xbill.DNS.Message.newQuery(Record.newRecord(n, type, DClass.IN)));
            int rcode = response.getRcode();
            if (rcode != org.xbill.DNS.Rcode.NOERROR && rcode != org.xbill.DNS.Rcode.NXDOMAIN) {
                return new Secured.Failed<>(org.xbill.DNS.Rcode.string(rcode));
            }
            if (!response.getHeader().getFlag(org.xbill.DNS.Flags.AD)) return new Secured.Insecure<>();
            List<T> out = new ArrayList<>();
            for (Record r : response.getSection(org.xbill.DNS.Section.ANSWER)) {
                T t = map.apply(r);
                if (t != null) out.add(t);
            }
            return new Secured.Secure<>(List.copyOf(out));
        } catch (TextParseException e) {
            return new Secured.Failed<>("not a domain name");
        } catch (java.io.IOException e) {
            return new Secured.Failed<>(e.getClass().getSimpleName());
        }
    }

    /** The answer to a TXT query. */
    public sealed interface TxtAnswer {
        /** The records, each one's strings joined (RFC 7208 §3.3 and RFC 8461 §3.1 read them so). */
        record Records(List<String> texts) implements TxtAnswer {}

        /** No such name, or no TXT records at it. */
        record None() implements TxtAnswer {}

        /** The resolver failed or timed out. */
        record Temporary(String reason) implements TxtAnswer {}
    }

    /** The TXT records at {@code name} (an absolute or relative-to-root name). */
    public TxtAnswer txt(String name) {
        Name n;
        try {
            n = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            return new TxtAnswer.None();
        }
        Lookup l = lookup(n, Type.TXT);
        return switch (l.getResult()) {
            case Lookup.SUCCESSFUL -> {
                List<String> out = new ArrayList<>();
                for (Record r : l.getAnswers()) {
                    if (r instanceof org.xbill.DNS.TXTRecord t) out.add(String.join("", t.getStrings()));
                }
                yield new TxtAnswer.Records(List.copyOf(out));
            }
            case Lookup.TYPE_NOT_FOUND, Lookup.HOST_NOT_FOUND -> new TxtAnswer.None();
            default -> new TxtAnswer.Temporary(l.getErrorString());
        };
    }

    /** A host's addresses (IPv6 first); empty when it has none; null when the resolver failed. */
    public List<InetAddress> addresses(String host) {
        Name n;
        try {
            n = Name.fromString(host.endsWith(".") ? host : host + ".");
        } catch (TextParseException e) {
            return List.of();
        }
        Host h = addresses(host, 0, n);
        return h == null ? null : h.addresses();
    }

    private Route hosts(List<MXRecord> records) {
        // §5.1: ascending preference; the order among equal preferences is random, to spread load.
        Collections.shuffle(records, random);
        records.sort(Comparator.comparingInt(MXRecord::getPriority));
        Map<String, Host> hosts = new LinkedHashMap<>();
        boolean anyTemporary = false;
        for (MXRecord r : records) {
            if (r.getTarget().equals(Name.root)) continue; // a null MX among others is ignored
            String host = r.getTarget().toString(true).toLowerCase(java.util.Locale.ROOT);
            if (hosts.containsKey(host)) continue;
            Host h = addresses(host, r.getPriority(), r.getTarget());
            if (h == null) {
                anyTemporary = true;
                continue;
            }
            if (!h.addresses().isEmpty()) hosts.put(host, h);
        }
        if (!hosts.isEmpty()) return new Route.Hosts(List.copyOf(hosts.values()));
        return anyTemporary ? new Route.Temporary("no MX host resolved") : new Route.NoSuchDomain();
    }

    /** A host's AAAA and A addresses; null when the resolver failed for both. */
    private Host addresses(String host, int preference, Name name) {
        List<InetAddress> out = new ArrayList<>();
        boolean failed = true;
        for (int type : new int[] {Type.AAAA, Type.A}) {
            Lookup l = lookup(name, type);
            int result = l.getResult();
            if (result == Lookup.SUCCESSFUL) {
                failed = false;
                for (Record r : l.getAnswers()) {
                    if (r instanceof AAAARecord a) out.add(a.getAddress());
                    if (r instanceof ARecord a) out.add(a.getAddress());
                }
            } else if (result == Lookup.TYPE_NOT_FOUND || result == Lookup.HOST_NOT_FOUND) {
                failed = false;
            }
        }
        return failed ? null : new Host(host, preference, List.copyOf(out));
    }

    private Lookup lookup(Name name, int type) {
        Lookup l = new Lookup(name, type, DClass.IN);
        l.setResolver(resolver);
        l.setCache(cache); // names are absolute: no search path
        l.run();
        return l;
    }
}
