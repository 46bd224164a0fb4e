#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetches and unpacks a Debian source package into DIR, without touching the
# machine's apt configuration (a sources list and state of its own, under
# DIR).  Used to build cmocka with musl-gcc for the musl test build.
#   usage: scripts/fetch-source.sh PACKAGE DIR
set -eu
pkg=$1 dir=$2
mkdir -p "$dir/apt/lists/partial" "$dir/apt/cache/archives/partial"
suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
echo "deb-src [signed-by=$keyring] http://deb.debian.org/debian $suite main" >"$dir/apt/sources.list"
opts=(-o "Dir::Etc::SourceList=$dir/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
      -o "Dir::State::Lists=$dir/apt/lists" -o "Dir::Cache=$dir/apt/cache" -o APT::Sandbox::User=root)
apt-get -q "${opts[@]}" update
cd "$dir"
apt-get -q "${opts[@]}" source --download-only "$pkg"
tar xf "$(ls ./"${pkg}"_*.orig.tar.* | head -1)"
