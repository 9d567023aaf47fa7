#!/usr/bin/env python3
"""IMAP operations on one large INBOX, Postvault against Dovecot (issue 12); driven by
scripts/large-mailbox-compare.sh, which sets up both servers with the same mbox.

Connects to each server with imaplib (LOGIN, SELECT INBOX), waits until Postvault's background
full-text indexing has finished, checks that both INBOXes hold the same number of messages, then
runs every operation REPS times on each server, alternating between the two servers run by run so
that other load on the machine falls on both alike. Prints one markdown table with the median and
p95 (nearest rank) of the runs and the hit counts; exits 1 if a hit count differs, 2 if the set-up
is wrong (login failed, message counts differ).

The timed commands are written to the socket and their responses read back here rather than
through imaplib's parser, which costs several microseconds per line and would add the same
hundreds of milliseconds to both servers' big FETCH responses. Time is wall time from sending the
command to reading its tagged completion, on 127.0.0.1, so it includes reading every byte.

Standard library only. The password comes from the environment (BENCH_PASSWORD), not argv.
"""
import argparse
import bisect
import email.header
import glob
import imaplib
import json
import math
import os
import re
import statistics
import sys
import time


# --- the corpus ----------------------------------------------------------------------------------

TOKEN = re.compile(rb"[vV][0-9]+")
ENCODED_WORD = re.compile(rb"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")
PLAIN_SUBJECT_TOKEN = re.compile(rb"^Subject: [^\r\n]*?\b(v[0-9]{3,})\b", re.M)


def rare_token(mbox_path):
    """A word that occurs in exactly one message of the mbox, deterministic for a given file.

    gen-mbox.py's subjects "Fwd: contract draft v{n}" carry a random number (the issue's v37205).
    A candidate is such a vN in a plain (not RFC 2047 encoded) Subject line. Every occurrence of the
    text vN anywhere counts: in the raw bytes (headers, bodies, even base64) and inside decoded
    encoded-words, as a substring (v372 occurs in v37205) and case-insensitively, as SEARCH TEXT
    matches. Of the candidates found in exactly one message, the one nearest the middle of the
    mailbox. Returns (token, message number counting from 1, messages) or (None, 0, messages).
    """
    with open(mbox_path, "rb") as f:
        data = f.read()
    starts = [m.start() for m in re.finditer(rb"^From ", data, re.M)]
    if not starts:
        return None, 0, 0

    def message_of(pos):
        return bisect.bisect_right(starts, pos) - 1

    occurrences = {}  # lower-cased maximal vNNN run -> messages it occurs in

    def note(text, msg):
        occurrences.setdefault(text.lower(), set()).add(msg)

    for m in TOKEN.finditer(data):
        note(m.group(), message_of(m.start()))
    for m in ENCODED_WORD.finditer(data):
        try:
            decoded = "".join(
                part.decode(cs or "ascii", "replace") if isinstance(part, bytes) else part
                for part, cs in email.header.decode_header(m.group().decode("ascii", "replace")))
        except (ValueError, LookupError):
            continue
        for t in TOKEN.finditer(decoded.encode("utf-8", "replace")):
            note(t.group(), message_of(m.start()))
    runs = sorted(occurrences)

    def messages_containing(token):
        found = set()
        i = bisect.bisect_left(runs, token)
        while i < len(runs) and runs[i].startswith(token):
            found |= occurrences[runs[i]]
            i += 1
        return found

    middle = len(starts) / 2
    best = None
    for m in PLAIN_SUBJECT_TOKEN.finditer(data):
        token = m.group(1).lower()
        msg = message_of(m.start())
        if messages_containing(token) != {msg}:
            continue
        key = (abs(msg - middle), msg)
        if best is None or key < best[0]:
            best = (key, token.decode("ascii"), msg + 1)
    if best is None:
        return None, 0, len(starts)
    return best[1], best[2], len(starts)


# --- IMAP ----------------------------------------------------------------------------------------

LITERAL = re.compile(rb"\{(\d+)\}\r\n$")
FETCH_LINE = re.compile(rb"^\* \d+ FETCH ")
UID_IN_FETCH = re.compile(rb"[( ]UID (\d+)")


class Server:
    def __init__(self, name, port, user, password):
        self.name = name
        self.port = port
        self.user = user
        self.password = password
        self.conn = None
        self.tags = 0

    def connect(self):
        """LOGIN and the first SELECT through imaplib; returns (login ms, select ms, EXISTS)."""
        t0 = time.perf_counter()
        self.conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=600)
        self.conn.login(self.user, self.password)
        t1 = time.perf_counter()
        typ, data = self.conn.select("INBOX")
        t2 = time.perf_counter()
        if typ != "OK":
            raise RuntimeError(f"{self.name}: SELECT INBOX failed: {data!r}")
        return (t1 - t0) * 1000, (t2 - t1) * 1000, int(data[0])

    def command(self, text, keep_literals=False):
        """Sends one command, reads through its tagged completion. Returns (ms, responses, bytes),
        where responses is a list of (first line, [literals]) per untagged response; literals are
        kept only when asked (the big FETCHes would otherwise hold the mailbox in memory)."""
        self.tags += 1
        tag = b"L%05d" % self.tags
        f = self.conn.file
        start = time.perf_counter()
        self.conn.send(tag + b" " + text.encode() + b"\r\n")
        responses, received = [], 0
        while True:
            line = f.readline()
            if not line:
                raise RuntimeError(f"{self.name}: connection closed during {text}")
            received += len(line)
            first, literals = line, []
            m = LITERAL.search(line)
            while m:  # the response goes on after each literal
                n = int(m.group(1))
                chunk = f.read(n)
                received += len(chunk)
                if keep_literals:
                    literals.append(chunk)
                line = f.readline()
                received += len(line)
                if keep_literals:
                    first += line
                m = LITERAL.search(line)
            if first.startswith(tag + b" "):
                elapsed = (time.perf_counter() - start) * 1000
                if not first.startswith(tag + b" OK"):
                    raise RuntimeError(f"{self.name}: {text} failed: {first.decode(errors='replace').strip()}")
                return elapsed, responses, received
            responses.append((first, literals))

    def logout(self):
        if self.conn is not None:
            try:
                self.conn.logout()
            except (OSError, imaplib.IMAP4.error):
                pass


def numbers_after(responses, keyword):
    out = []
    for first, _ in responses:
        if first.startswith(b"* " + keyword):
            out.extend(int(x) for x in first[len(keyword) + 2:].split())
    return out


def thread_tree(responses):
    """The THREAD response as nested lists of UIDs (RFC 5256 thread-list)."""
    text = b"".join(first[len(b"* THREAD"):].strip() for first, _ in responses if first.startswith(b"* THREAD"))
    stack = [[]]
    for tok in re.findall(rb"\(|\)|\d+", text):
        if tok == b"(":
            stack.append([])
        elif tok == b")":
            node = stack.pop()
            stack[-1].append(node)
        else:
            stack[-1].append(int(tok))
    return stack[0]


def tree_uids(tree):
    for x in tree:
        if isinstance(x, list):
            yield from tree_uids(x)
        else:
            yield x


def first_difference(a, b, path=""):
    """Where two SORT orders or THREAD trees (of Message-IDs) first part, for the notes."""
    for i, (x, y) in enumerate(zip(a, b)):
        if x == y:
            continue
        if isinstance(x, list) and isinstance(y, list):
            return first_difference(x, y, f"{path}{i}.")
        return f"position {path}{i}: Postvault {x}, Dovecot {y}"
    return f"position {path}{min(len(a), len(b))}: lengths {len(a)} and {len(b)}"


def map_tree(tree, ids):
    return [map_tree(x, ids) if isinstance(x, list) else ids.get(x, "?%d" % x) for x in tree]


class Result:
    """What one run found, in a form the two servers can be compared on."""

    def __init__(self, shown, key, order=None, received=None):
        self.shown = shown        # text for the table
        self.key = key            # equal on both servers when the hit counts agree
        self.order = order        # UIDs in order / thread tree, compared through Message-IDs (optional)
        self.received = received  # FETCH: bytes of the whole response (shown, not compared)


def summarize(kind, responses, received):
    if kind == "search":
        uids = numbers_after(responses, b"SEARCH")
        return Result(str(len(uids)), len(uids))
    if kind == "sort":
        uids = numbers_after(responses, b"SORT")
        return Result(str(len(uids)), len(uids), uids)
    if kind == "thread":
        tree = thread_tree(responses)
        total = sum(1 for _ in tree_uids(tree))
        return Result(f"{len(tree)} threads, {total} UIDs", (len(tree), total), tree)
    if kind == "fetch":
        n = sum(1 for first, _ in responses if FETCH_LINE.match(first))
        return Result(f"{n} ({received / 1e6:.2f} MB)", n, received=received)
    if kind == "select":
        exists = [int(first.split()[1]) for first, _ in responses if first.endswith(b" EXISTS\r\n")]
        n = exists[-1] if exists else -1
        return Result(str(n), n)
    raise ValueError(kind)


MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.I | re.M)


def message_ids(responses):
    """UID -> Message-ID from a FETCH of header fields."""
    out = {}
    for first, literals in responses:
        m = UID_IN_FETCH.search(first)
        if not m or not literals:
            continue
        h = MESSAGE_ID.search(literals[0])
        out[int(m.group(1))] = re.sub(rb"\s+", b"", h.group(1)).decode(errors="replace") if h else ""
    return out


# --- waiting for Postvault's index --------------------------------------------------------------

def process_cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def mailbox_files(data_dir):
    return sorted(glob.glob(os.path.join(data_dir, "mailboxes", "*.sqlite*")))


def files_signature(data_dir):
    sig = []
    for p in mailbox_files(data_dir):
        try:
            st = os.stat(p)
        except FileNotFoundError:
            continue
        if not p.endswith("-shm"):  # readers touch the shared-memory index too
            sig.append((p, st.st_size, st.st_mtime_ns))
    return sig


def wait_settled(pid, data_dir, quiet, cap):
    """Waits until the mailbox files have not changed for QUIET seconds and the server process used
    less than 5% of a core over that time: the background pass (index 64 messages, commit, repeat;
    then merge index segments) writes every few hundred milliseconds while it runs and never waits
    on a server with no deliveries and no other session. Returns (seconds, server CPU-s, settled)."""
    start = time.monotonic()
    cpu0 = process_cpu_seconds(pid)
    sig, changed = files_signature(data_dir), start
    samples = []
    while True:
        time.sleep(0.25)
        now = time.monotonic()
        cpu = process_cpu_seconds(pid)
        s = files_signature(data_dir)
        if s != sig:
            sig, changed = s, now
        samples.append((now, cpu))
        while samples and now - samples[0][0] > quiet:
            samples.pop(0)
        window = now - samples[0][0]
        idle = window >= quiet - 0.3 and cpu - samples[0][1] < 0.05 * window
        if now - changed >= quiet and idle:
            return now - start, cpu - cpu0, True
        if now - start > cap:
            return now - start, cpu - cpu0, False


def file_sizes(data_dir):
    db = wal = shm = 0
    for p in mailbox_files(data_dir):
        size = os.path.getsize(p)
        if p.endswith("-wal"):
            wal += size
        elif p.endswith("-shm"):
            shm += size
        else:
            db += size
    return db, wal, shm


def tree_size(path):
    total = 0
    for d, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(d, name)).st_size
            except FileNotFoundError:
                pass
    return total


# --- the operations ------------------------------------------------------------------------------

HEADER_FIELDS = "UID FETCH 1:* (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (From To Cc Subject Date Message-ID References In-Reply-To)])"


def operations(rare):
    ops = [
        ("select", "SELECT INBOX"),
        ("fetch", HEADER_FIELDS),
        ("fetch", "UID FETCH 1:* (UID FLAGS ENVELOPE BODYSTRUCTURE)"),
        ("fetch", "UID FETCH 1:500 BODY.PEEK[]"),
        ("search", "UID SEARCH SUBJECT invoice"),
        ("search", "UID SEARCH FROM brown"),
        ("search", "UID SEARCH HEADER Message-ID @"),
        ("search", "UID SEARCH TEXT deadline"),
        ("search", "UID SEARCH BODY protocol"),
        ("search", "UID SEARCH NOT TEXT server"),
        ("search", "UID SEARCH TEXT ab"),
    ]
    if rare:
        ops.append(("search", f"UID SEARCH TEXT {rare}"))
    # gen-mbox.py dates its mail uniformly over 2019-01-01 .. 2025-12-31 (Date field and mbox From_
    # line alike), so these ranges hold about 7% and 14% of it.
    ops += [
        ("search", "UID SEARCH OR SUBJECT invoice FROM brown"),
        ("search", "UID SEARCH NOT FROM brown"),
        ("search", "UID SEARCH SINCE 1-Jan-2024 BEFORE 1-Jul-2024"),
        ("search", "UID SEARCH SENTSINCE 1-Jan-2024 SENTBEFORE 1-Jul-2024"),
        ("search", "UID SEARCH SENTSINCE 1-Jan-2025"),
        ("search", "UID SEARCH SUBJECT invoice TEXT deadline"),
        ("search", "UID SEARCH UNSEEN"),
        ("search", "UID SEARCH FLAGGED"),
        ("sort", "UID SORT (DATE) UTF-8 ALL"),
        ("sort", "UID SORT (SUBJECT) UTF-8 ALL"),
        ("sort", "UID SORT (FROM) UTF-8 ALL"),
        ("sort", "UID SORT (REVERSE ARRIVAL) UTF-8 ALL"),
        ("thread", "UID THREAD REFERENCES UTF-8 ALL"),
        ("thread", "UID THREAD ORDEREDSUBJECT UTF-8 ALL"),
    ]
    return ops


def p95(values):
    s = sorted(values)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)]


def ratio(pv, dv):
    if pv is None or dv is None or pv <= 0 or dv <= 0:
        return ""
    if dv >= pv:
        return f"{dv / pv:.1f}× faster"
    return f"{pv / dv:.1f}× slower"


def ms(v):
    if v is None:
        return "—"
    return f"{v:.1f}" if v < 100 else f"{v:.0f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mbox", required=True)
    ap.add_argument("--user", default="bench@example.org")
    ap.add_argument("--pv-port", type=int, required=True)
    ap.add_argument("--pv-pid", type=int, required=True, help="the Postvault server's java process")
    ap.add_argument("--pv-data", required=True, help="Postvault's data directory")
    ap.add_argument("--dv-port", type=int, help="Dovecot's IMAP port; without it Postvault alone")
    ap.add_argument("--dv-maildir", help="the user's Maildir, for its size")
    ap.add_argument("--reps", type=int, default=int(os.environ.get("REPS", "5")))
    ap.add_argument("--sort-reps", type=int, default=int(os.environ.get("SORT_REPS", "3")))
    ap.add_argument("--settle-quiet", type=float, default=3.0)
    ap.add_argument("--settle-max", type=float, default=float(os.environ.get("SETTLE_MAX", "1800")))
    ap.add_argument("--json", help="also write every run's times and counts here")
    args = ap.parse_args()
    password = os.environ["BENCH_PASSWORD"]

    rare, rare_msg, in_mbox = rare_token(args.mbox)
    if rare:
        print(f"rare term: {rare} (only in message {rare_msg} of {in_mbox})")
    else:
        print(f"rare term: none found among {in_mbox} messages; its row is left out")

    pv = Server("Postvault", args.pv_port, args.user, password)
    dv = Server("Dovecot", args.dv_port, args.user, password) if args.dv_port else None
    servers = [pv] + ([dv] if dv else [])

    pv_login, pv_select, pv_exists = pv.connect()
    print(f"Postvault: LOGIN {pv_login:.0f} ms, first SELECT {pv_select:.0f} ms, EXISTS {pv_exists}")
    waited, cpu, settled = wait_settled(args.pv_pid, args.pv_data, args.settle_quiet, args.settle_max)
    print(f"Postvault: background indexing done {waited:.1f} s after SELECT "
          f"(mailbox files unchanged and server idle for {args.settle_quiet:.0f} s; "
          f"server CPU meanwhile {cpu:.1f} s)" if settled else
          f"Postvault: WARNING: still busy after {waited:.0f} s (SETTLE_MAX); measuring anyway "
          f"(server CPU meanwhile {cpu:.1f} s)")
    db, wal, shm = file_sizes(args.pv_data)
    per = (db + wal) / pv_exists if pv_exists else 0
    print(f"Postvault mailbox file: {(db + wal) / 1e6:.1f} MB (.sqlite {db / 1e6:.1f} MB + -wal {wal / 1e6:.1f} MB; "
          f"-shm {shm / 1e3:.0f} KB not counted), {per / 1e3:.1f} KB per message; "
          f"the mbox: {os.path.getsize(args.mbox) / 1e6:.1f} MB")
    exists = {"Postvault": pv_exists}
    if dv:
        dv_login, dv_select, dv_exists = dv.connect()
        exists["Dovecot"] = dv_exists
        print(f"Dovecot:   LOGIN {dv_login:.0f} ms, first SELECT {dv_select:.0f} ms, EXISTS {dv_exists}")
        if args.dv_maildir:
            print(f"Dovecot Maildir: {tree_size(args.dv_maildir) / 1e6:.1f} MB with its index files")
    if len(set(exists.values())) != 1:
        print(f"ABORT: the INBOXes differ: {exists}", file=sys.stderr)
        return 2
    if pv_exists != in_mbox:
        print(f"note: INBOX holds {pv_exists} messages, the mbox {in_mbox}")

    # UID -> Message-ID on each server, for comparing SORT orders and THREAD trees (not timed).
    ids = {}
    for s in servers:
        _, responses, _ = s.command("UID FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS (Message-ID)])", keep_literals=True)
        ids[s.name] = message_ids(responses)

    rows, failed, record, notes = [], False, [], []
    for kind, text in operations(rare):
        reps = args.sort_reps if kind in ("sort", "thread") else args.reps
        times = {s.name: [] for s in servers}
        results = {}
        for _ in range(reps):
            for s in servers:  # alternate, so a burst of other load hits both
                elapsed, responses, received = s.command(text)
                times[s.name].append(elapsed)
                r = summarize(kind, responses, received)
                prev = results.get(s.name)
                if prev is not None and prev.key != r.key:
                    print(f"note: {s.name} answered {text} with {r.shown}, before with {prev.shown}")
                results[s.name] = r
        best = kind in ("sort", "thread")
        stat = min if best else statistics.median
        pv_t, pv_p95 = stat(times["Postvault"]), p95(times["Postvault"])
        dv_t = stat(times["Dovecot"]) if dv else None
        dv_p95 = p95(times["Dovecot"]) if dv else None
        pv_r, dv_r = results["Postvault"], results.get("Dovecot")
        if dv_r is None:
            equal = "n/a"
        elif pv_r.key == dv_r.key:
            equal = "yes"
            if pv_r.received is not None and pv_r.received != dv_r.received:
                equal += f", {pv_r.received - dv_r.received:+,d} bytes"
            if pv_r.order is not None:
                a = map_tree(pv_r.order, ids["Postvault"])
                b = map_tree(dv_r.order, ids["Dovecot"])
                if a == b:
                    equal += ", same order"
                else:
                    equal += ", order differs"
                    notes.append(f"{text}: orders differ first at {first_difference(a, b)}")
        else:
            equal = "**NO**"
            failed = True
        label = text + (f" (best of {reps})" if best else "")
        rows.append([label, ms(pv_t), ms(pv_p95), ms(dv_t), ratio(pv_t, dv_t), pv_r.shown,
                     dv_r.shown if dv_r else "—", equal, ms(dv_p95),
                     ms(times["Postvault"][0]), ms(times["Dovecot"][0]) if dv else "—"])
        record.append({"op": text, "kind": kind, "times_ms": times,
                       "hits": {k: v.shown for k, v in results.items()},
                       "bytes": {k: v.received for k, v in results.items()}})
        print(f"  done: {label}", file=sys.stderr, flush=True)

    for s in servers:
        s.logout()

    print()
    print(f"INBOX of {pv_exists} messages; median of {args.reps} runs (SORT/THREAD: best of {args.sort_reps}), "
          f"p95 by nearest rank; ratio: Postvault against Dovecot (median times); 1st run: each server's first "
          f"run of the operation")
    print()
    head = ["operation", "Postvault median ms", "p95 ms", "Dovecot median ms", "ratio", "hits PV", "hits DV",
            "equal?", "Dovecot p95 ms", "PV 1st run ms", "DV 1st run ms"]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" if i in (0, 4, 5, 6, 7) else "---:" for i in range(len(head))) + "|")
    for r in rows:
        print("| " + " | ".join(["`" + r[0] + "`"] + r[1:]) + " |")
    for note in notes:
        print(f"\nnote: {note}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"exists": exists, "rare": rare, "ops": record}, f, indent=1)
    if failed:
        print("\nFAILED: some hit counts differ between the servers (rows marked NO)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, RuntimeError, imaplib.IMAP4.error) as e:
        print(f"ABORT: {e}", file=sys.stderr)
        sys.exit(2)
