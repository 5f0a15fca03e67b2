#!/usr/bin/env bash
# Makes sure the three upstream images the compose stack is built from exist in the local docker engine:
#   mcr.microsoft.com/dotnet/sdk:10.0, mcr.microsoft.com/dotnet/aspnet:10.0, postgres:16
# Where `docker pull` works this only pulls (or finds) them and builds nothing. Where no registry is reachable (CI
# machines here reach the Debian mirror but no container registry) it builds local stand-ins tagged with the upstream
# names: a debootstrap'd Debian bookworm rootfs plus this machine's .NET for the two dotnet images, and PostgreSQL
# from Debian (bookworm ships 15, not 16) behind an entry point that honours the official image's POSTGRES_*
# environment contract. The stand-ins are for CI and air-gapped labs only; docs/operations.md says so.
#
# The debootstrap output is cached as a tarball under SBD_CI_CACHE (default /var/cache/sbd-ci), so a second run on the
# same machine skips the few minutes it costs; images themselves stay in the engine's data root between runs.
set -euo pipefail

cache=${SBD_CI_CACHE:-/var/cache/sbd-ci}
mirror=${SBD_DEBIAN_MIRROR:-http://deb.debian.org/debian}
dotnet_root=${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")}
sdk=mcr.microsoft.com/dotnet/sdk:10.0
aspnet=mcr.microsoft.com/dotnet/aspnet:10.0
postgres=postgres:16
rootfs_image=sbd-ci/bookworm-rootfs:latest
here=$(cd "$(dirname "$0")" && pwd)

log() { echo "ci-images: $*" >&2; }
have() { docker image inspect "$1" >/dev/null 2>&1; }

missing=()
for image in "$sdk" "$aspnet" "$postgres"; do
  if have "$image"; then
    log "$image present"
  elif timeout 300 docker pull -q "$image" >/dev/null 2>&1; then
    log "$image pulled"
  else
    missing+=("$image")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
log "cannot pull ${missing[*]}: building local stand-ins"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! have "$rootfs_image"; then
  tarball="$cache/bookworm-minbase.tar"
  if [ ! -s "$tarball" ]; then
    command -v debootstrap >/dev/null || { log "debootstrap is not installed (apt-get install debootstrap)"; exit 1; }
    mkdir -p "$cache"
    log "debootstrap bookworm from $mirror (a few minutes; cached in $tarball)"
    # The libraries are the .NET runtime's dependencies (the same set the official aspnet image installs).
    debootstrap --variant=minbase \
      --include=ca-certificates,libicu72,libssl3,libstdc++6,libgcc-s1,zlib1g,tzdata \
      bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
      || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
    rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
    # Documentation and translations, as the official slim images leave them out (for later installs too).
    rm -rf "$work/rootfs/usr/share/"{doc,man,info,locale}/*
    printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
      'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' \
      >"$work/rootfs/etc/dpkg/dpkg.cfg.d/excludes"
    tar -C "$work/rootfs" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$work/rootfs"
  fi
  docker import - "$rootfs_image" <"$tarball" >/dev/null
  log "imported $rootfs_image"
fi

# Copies the parts of this machine's .NET that an image needs into a build context.
copy_dotnet() { # destination, with-sdk
  mkdir -p "$1"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$dotnet_root/shared" "$1/"
  [ -e "$dotnet_root/LICENSE.txt" ] && cp -a "$dotnet_root/LICENSE.txt" "$1/"
  if [ "$2" = yes ]; then
    cp -a "$dotnet_root/sdk" "$1/"
    for extra in packs sdk-manifests templates metadata; do
      [ -e "$dotnet_root/$extra" ] && cp -a "$dotnet_root/$extra" "$1/"
    done
  fi
  return 0
}

runtime_version=$("$dotnet_root/dotnet" --list-runtimes | awk '/Microsoft.NETCore.App/ {v=$2} END {print v}')
aspnet_version=$("$dotnet_root/dotnet" --list-runtimes | awk '/Microsoft.AspNetCore.App/ {v=$2} END {print v}')

for image in "${missing[@]}"; do
  ctx="$work/$(echo "$image" | tr '/:' '__')"
  mkdir -p "$ctx"
  case "$image" in
    "$aspnet")
      copy_dotnet "$ctx/dotnet" no
      cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $rootfs_image
COPY dotnet /usr/share/dotnet
# The official image's contract: dotnet on PATH, an unprivileged "app" user (uid 1654) named by APP_UID, port 8080.
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \\
 && groupadd --gid 1654 app && useradd --uid 1654 --gid 1654 --no-create-home --shell /bin/false app
ENV APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true \\
    DOTNET_VERSION=$runtime_version ASPNET_VERSION=$aspnet_version
LABEL org.sbdserver.stand-in="debootstrap bookworm + host .NET $runtime_version"
DOCKERFILE
      ;;
    "$sdk")
      copy_dotnet "$ctx/dotnet" yes
      # This machine's own certificate authorities (a TLS-inspecting egress proxy, a lab CA): the SDK restores from
      # NuGet through the same network as the machine, so it must trust what the machine trusts.
      mkdir -p "$ctx/ca"
      cp /usr/local/share/ca-certificates/*.crt "$ctx/ca/" 2>/dev/null || true
      cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $rootfs_image
COPY dotnet /usr/share/dotnet
COPY ca/ /usr/local/share/ca-certificates/
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet && update-ca-certificates >/dev/null
ENV DOTNET_RUNNING_IN_CONTAINER=true DOTNET_USE_POLLING_FILE_WATCHER=true NUGET_XMLDOC_MODE=skip \\
    DOTNET_VERSION=$runtime_version ASPNET_VERSION=$aspnet_version DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
LABEL org.sbdserver.stand-in="debootstrap bookworm + host .NET SDK"
DOCKERFILE
      ;;
    "$postgres")
      cp "$here/ci-postgres-entrypoint.sh" "$ctx/docker-entrypoint.sh"
      cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $rootfs_image
# Same uid/gid as the official image, so a data volume moves between the two.
RUN groupadd --gid 999 postgres && useradd --uid 999 --gid 999 --home-dir /var/lib/postgresql --shell /bin/bash postgres \\
 && apt-get update -qq \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null \\
 && rm -rf /var/lib/apt/lists/* /var/lib/postgresql/15 /etc/postgresql \\
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
ENV PATH=/usr/lib/postgresql/15/bin:\$PATH PGDATA=/var/lib/postgresql/data
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]
LABEL org.sbdserver.stand-in="debootstrap bookworm + Debian postgresql-15"
DOCKERFILE
      ;;
  esac
  log "building stand-in $image"
  # Host network: the postgres stand-in installs from the Debian mirror the host reaches.
  DOCKER_BUILDKIT=0 docker build -q --network host -t "$image" "$ctx" >/dev/null 2>"$work/build.log" || { cat "$work/build.log" >&2; exit 1; }
  log "built $image"
done
