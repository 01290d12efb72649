#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh: REPLACES the database's tables and the media folder.
#   scripts/restore.sh BACKUP_DIR
# Reads DATABASE_URL and MEDIA_ROOT like backup.sh. Stop web, worker and beat first
# (docker compose stop web worker beat), restore, then start them again.
set -euo pipefail
cd "$(dirname "$0")/.."
backup=${1:?usage: scripts/restore.sh BACKUP_DIR}
: "${DATABASE_URL:?set DATABASE_URL (postgres://...)}"
media=${MEDIA_ROOT:-./media}

# A damaged or incomplete backup is refused before anything is touched.
(cd "$backup" && sha256sum --check --quiet SHA256SUMS)

pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
  --dbname "$DATABASE_URL" "$backup/db.dump"

# Unpack beside the media folder, then swap, so a failed unpack leaves the old files in place.
mkdir -p "$media"
media_abs=$(cd "$media" && pwd)
staging="$media_abs.restoring"
rm -rf "$staging" && mkdir -p "$staging"
tar -C "$staging" -xzf "$backup/media.tar.gz"
find "$media_abs" -mindepth 1 -delete
(cd "$staging" && tar -cf - .) | tar -C "$media_abs" -xf -
rm -rf "$staging"
echo "Restored $backup"
