package dev.postvault.imap.codec;

import java.util.Objects;
import java.util.Optional;

/**
 * SELECT / EXAMINE parameters (RFC 4466 select-params; RFC 7162 §3.1.8 CONDSTORE, §3.2.5 QRESYNC).
 *
 * @param condStore the CONDSTORE parameter was given
 * @param qresync   the QRESYNC parameter, if given
 */
public record SelectParameters(boolean condStore, Optional<QResync> qresync) {

    /**
     * RFC 7162 §3.2.5: QRESYNC (uidvalidity modseq [known-uids] [seq-match-data]).
     *
     * @param uidValidity the client's last known UIDVALIDITY
     * @param modSeq      the client's last known HIGHESTMODSEQ
     * @param knownUids   UIDs the client knows
     * @param sequenceMatch message numbers and their UIDs, to find expunges cheaply
     */
    public record QResync(long uidValidity, long modSeq, Optional<SequenceSet> knownUids,
                          Optional<SequenceMatch> sequenceMatch) {
        public QResync {
            Objects.requireNonNull(knownUids);
            Objects.requireNonNull(sequenceMatch);
        }
    }

    /** RFC 7162 §3.2.5 seq-match-data = "(" known-sequence-set SP known-uid-set ")". */
    public record SequenceMatch(SequenceSet sequenceNumbers, SequenceSet uids) {
        public SequenceMatch {
            Objects.requireNonNull(sequenceNumbers);
            Objects.requireNonNull(uids);
        }
    }

    public SelectParameters {
        Objects.requireNonNull(qresync);
    }

    public static SelectParameters none() {
        return new SelectParameters(false, Optional.empty());
    }
}
