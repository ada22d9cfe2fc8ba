#!/usr/bin/env bash
# A TLS (amqps) listener on 127.0.0.1:5671 of the local RabbitMQ, for the AMQP-over-TLS test,
# WITHOUT restarting the broker (other tests use it at the same time): a throwaway CA, server
# and client certificates made by openssl, then `rabbitmqctl eval` starts an SSL listener on the
# running node. Idempotent: the certificates are made once, the listener started only when the
# port is closed. Safe on a fresh machine: it changes nothing but the listener, which is gone
# after the broker's next restart (run it again then).
#
#   THREADLINE_AMQP_TLS_DIR  where the certificates go (default /tmp/threadline-amqp-tls)
#   THREADLINE_AMQP_TLS_PORT the listener's port (default 5671)
set -euo pipefail

dir=${THREADLINE_AMQP_TLS_DIR:-/tmp/threadline-amqp-tls}
port=${THREADLINE_AMQP_TLS_PORT:-5671}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
die() { printf 'amqp-tls: %s\n' "$*" >&2; exit 1; }

command -v openssl >/dev/null || die "openssl is needed to make the test certificates"
command -v rabbitmqctl >/dev/null || die "rabbitmqctl is needed to start the listener"

make_certificates() {
  local work
  work=$(mktemp -d "${dir}.XXXXXX")
  (
    cd "$work"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj '/CN=Threadline test CA' \
      -keyout ca.key -out ca.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj '/CN=localhost' -keyout server.key \
      -out server.csr 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile server.ext -out server.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj '/CN=threadline-client' -keyout client.key \
      -out client.csr 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile client.ext -out client.pem 2>/dev/null
    # A second CA that signed nothing here: a client trusting only it must refuse the broker.
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj '/CN=Some other CA' \
      -keyout other-ca.key -out other-ca.pem 2>/dev/null
    rm -f ./*.csr ./*.ext ./*.srl ca.key other-ca.key
  )
  # The broker runs as another user and must read its certificate and key (test material only).
  chmod 755 "$work"
  chmod 644 "$work"/*
  rm -rf "$dir"
  mv "$work" "$dir"
}

[ -s "$dir/server.pem" ] && [ -s "$dir/client.pem" ] && [ -s "$dir/other-ca.pem" ] ||
  make_certificates

if ! port_open "$port"; then
  rabbitmqctl -q eval "
    rabbit_networking:ensure_ssl(),
    rabbit_networking:start_ssl_listener({\"127.0.0.1\", $port}, [
      {cacertfile, \"$dir/ca.pem\"},
      {certfile, \"$dir/server.pem\"},
      {keyfile, \"$dir/server.key\"},
      {verify, verify_peer},
      {fail_if_no_peer_cert, false}
    ], 1)." >/dev/null || die "rabbitmqctl eval could not start the TLS listener on $port"
  for _ in $(seq 1 50); do port_open "$port" && break; sleep 0.1; done
fi
port_open "$port" || die "no TLS listener on 127.0.0.1:$port"
printf '%s\n' "$dir"
