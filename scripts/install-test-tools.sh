#!/usr/bin/env bash
# Installs the Debian packages of the real clients the test suite drives (RealClientsTest,
# RealPop3ClientsTest, RealNeomuttTest): curl, Python 3, fetchmail, getmail6, isync (mbsync), offlineimap3 and neomutt;
# dkimpy with PyNaCl for Debian's /usr/bin/python3, the independent DKIM verifier (DkimSignerTest, SubmissionTest);
# unbound, the DNS server MxResolverTest serves its test zones from (started by the test on loopback);
# swaks, a sender; and Postfix, whose private instances play other domains' MX hosts (RemoteMxTest) and
# whose smtp-source and smtp-sink drive the submission benchmark. Postfix is installed unconfigured
# ("No configuration"): the system's own instance is not set up or started. ldnsutils signs the DNSSEC
# test zone for DANE (DnssecResolverTest, RemoteMxTest).
# Only what is missing is installed.
# Needs root and apt-get; otherwise it says what to install and the tests that need a tool skip.
set -euo pipefail
declare -A tool_package=([curl]=curl [python3]=python3 [fetchmail]=fetchmail [getmail]=getmail6 [mbsync]=isync [offlineimap]=offlineimap3 [neomutt]=neomutt [unbound]=unbound [swaks]=swaks [postfix]=postfix [ldns-signzone]=ldnsutils)
missing=()
for tool in "${!tool_package[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${tool_package[$tool]}")
done
/usr/bin/python3 -c 'import dkim, nacl' >/dev/null 2>&1 || missing+=(python3-dkim python3-nacl)
if [[ ${#missing[@]} -eq 0 ]]; then exit 0; fi
if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-tools: missing ${missing[*]}; install them (Debian: apt-get install ${missing[*]}) or the tests that drive them skip" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections 2>/dev/null || true
if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; then
  apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
    || echo "install-test-tools: could not install ${missing[*]}; the tests that drive them skip" >&2
fi
