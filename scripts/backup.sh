#!/usr/bin/env bash
# Back up the database (pg_dump, custom format) and the media folder (uploads, certificates, minutes).
#   scripts/backup.sh [DEST]        default DEST: ./backups
# Reads DATABASE_URL (postgres://user:password@host:port/name) and MEDIA_ROOT (default ./media).
# Writes DEST/mqa-<UTC time>/ with db.dump, media.tar.gz and SHA256SUMS, and prints that folder.
# In docker compose (the image has pg_dump):
#   docker compose run --rm -v "$PWD/backups:/backups" web scripts/backup.sh /backups
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL (postgres://...)}"
case "$DATABASE_URL" in postgres://*|postgresql://*) ;; *) echo "backup.sh needs a PostgreSQL DATABASE_URL" >&2; exit 2;; esac
media=${MEDIA_ROOT:-./media}
dest_root=${1:-./backups}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dest="$dest_root/mqa-$stamp"
# Written under a temporary name and renamed at the end: a folder named mqa-* is always complete.
mkdir -p "$dest_root"
tmp="$dest_root/.mqa-$stamp.partial"
rm -rf "$tmp" && mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

pg_dump --format=custom --no-owner --no-privileges --file "$tmp/db.dump" "$DATABASE_URL"
if [ -d "$media" ]; then
  tar -C "$media" -czf "$tmp/media.tar.gz" .
else
  tar -czf "$tmp/media.tar.gz" -T /dev/null
fi
(cd "$tmp" && sha256sum db.dump media.tar.gz > SHA256SUMS)
mv "$tmp" "$dest"
trap - EXIT
echo "$dest"
