# Shared by the benchmark scripts that run Debian's Dovecot beside Postvault (sourced, not run).

# Prints a Dovecot configuration for a benchmark: IMAP only on 127.0.0.1:PORT, no TLS, one static
# password for every user (mail owned by nobody), Maildir under DIR/home, no FTS plugin; its
# runtime, state and log files under DIR. Usage: dovecot_conf DIR PORT PASSWORD INSTANCE-NAME
dovecot_conf() {
  local d="$1" port="$2" password="$3" instance="$4"
  cat <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $d/run
state_dir = $d/state
log_path = $d/dovecot.log
instance_name = $instance
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {
  driver = static
  args = password=$password
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$d/home/%u
}
mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
CONF
}
