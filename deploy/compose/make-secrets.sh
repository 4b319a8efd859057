#!/bin/sh
# Makes what docker-compose.yml reads and git must not hold: a certificate authority and server
# certificates for PostgreSQL and NATS (certs/), and the environment files with the kernel's keys and
# the database password (secrets/). Existing files are kept, so running it again changes nothing;
# delete a file to make it anew. Needs openssl.
set -eu
cd "$(dirname "$0")"
umask 077
mkdir -p certs secrets

if [ ! -f certs/ca.key ]; then
  openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj '/CN=erp compose CA' \
    -keyout certs/ca.key -out certs/ca.crt 2>/dev/null
fi
# One certificate per service, valid for the names the kernels use to reach it.
cert() {
  name=$1; sans=$2
  [ -f "certs/$name.crt" ] && return 0
  openssl req -newkey rsa:3072 -nodes -subj "/CN=$name" -keyout "certs/$name.key" -out "certs/$name.csr" 2>/dev/null
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$sans" > "certs/$name.ext"
  openssl x509 -req -in "certs/$name.csr" -CA certs/ca.crt -CAkey certs/ca.key -CAcreateserial \
    -days 825 -extfile "certs/$name.ext" -out "certs/$name.crt" 2>/dev/null
  rm -f "certs/$name.csr" "certs/$name.ext"
}
cert postgres 'DNS:postgres'
cert nats 'DNS:nats-1,DNS:nats-2,DNS:nats-3'
# Compose mounts these files as they are: the containers' users must be able to read them (the
# PostgreSQL entrypoint copies its key in with mode 0600).
chmod 0644 certs/*.crt certs/*.key
chmod 0600 certs/ca.key

random() { openssl rand -base64 "$1" | tr -d '\n'; }
if [ ! -f secrets/postgres.env ]; then
  printf 'POSTGRES_PASSWORD=%s\n' "$(openssl rand -hex 24)" > secrets/postgres.env
fi
if [ ! -f secrets/erp.env ]; then
  password=$(sed -n 's/^POSTGRES_PASSWORD=//p' secrets/postgres.env)
  {
    printf 'DATABASE_URL=postgres://erp:%s@postgres:5432/erp?sslmode=verify-full&sslrootcert=/run/secrets/ca.crt\n' "$password"
    printf 'ERP_SECRET_KEY=%s\n' "$(random 48)"
    # Ed25519 private key as the base64 of its 32-byte seed.
    printf 'ERP_AUDIT_SIGNING_KEY=%s\n' "$(random 32)"
    printf 'ERP_METRICS_TOKEN=%s\n' "$(openssl rand -hex 24)"
  } > secrets/erp.env
fi
chmod 0644 secrets/*.env
echo "certs/ and secrets/ ready (keep secrets/ and certs/ca.key safe: the audit signing key and the database password are there)"
