#!/bin/sh
# The mail host announces itself by its range name (the image was built under another host name).
postconf -e "myhostname=$(hostname -f 2>/dev/null || hostname)"
rm -f /var/spool/postfix/pid/*.pid
exec postfix start-fg
