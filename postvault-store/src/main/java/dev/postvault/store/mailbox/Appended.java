package dev.postvault.store.mailbox;

/** Where an appended message landed (what UIDPLUS's APPENDUID reports). */
public record Appended(long folderId, long uidValidity, long uid, long modseq) {}
