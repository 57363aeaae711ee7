#!/bin/sh
# Keeps the host alive with a syslog daemon, as a real PC would have.
rsyslogd
logger -t cyrange "host $(hostname) up"
exec sleep infinity
