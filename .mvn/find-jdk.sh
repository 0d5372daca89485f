# Sourced by ./mvnw, .ci/run and bench/run (POSIX sh).
# Ensures JAVA_HOME points at a JDK 21 or newer, which NiFi 2.x extensions need.
# Order: an existing JAVA_HOME if it is 21+, then `java` on the PATH, then the usual install folders.
# Prints a clear message and exits 1 when no suitable JDK is installed.

retl_java_major() {
  # $1: path of a java binary; prints its feature version (17, 21, 25, ...) or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

retl_jdk_ok() {
  # $1: a candidate JAVA_HOME; true when it holds a JDK (with javac) of version 21 or newer
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  retl_major=$(retl_java_major "$1/bin/java")
  [ -n "$retl_major" ] && [ "$retl_major" -ge 21 ]
}

retl_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && retl_jdk_ok "$JAVA_HOME"; then
    return 0
  fi
  retl_candidates=""
  if command -v java >/dev/null 2>&1; then
    retl_java_bin=$(command -v java)
    retl_java_real=$(readlink -f "$retl_java_bin" 2>/dev/null || printf %s "$retl_java_bin")
    retl_candidates="$(dirname "$(dirname "$retl_java_real")")"
  fi
  case $- in *f*) retl_noglob=1; set +f ;; *) retl_noglob=0 ;; esac
  for retl_dir in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$retl_dir" ] && retl_candidates="$retl_candidates
$retl_dir"
  done
  [ "$retl_noglob" -eq 0 ] || set -f
  retl_best=""
  retl_best_major=0
  retl_old_ifs=$IFS
  IFS='
'
  for retl_dir in $retl_candidates; do
    if retl_jdk_ok "$retl_dir"; then
      retl_major=$(retl_java_major "$retl_dir/bin/java")
      if [ "$retl_major" -gt "$retl_best_major" ]; then
        retl_best=$retl_dir
        retl_best_major=$retl_major
      fi
    fi
  done
  IFS=$retl_old_ifs
  if [ -z "$retl_best" ]; then
    echo "nifi-reverse-etl: no JDK 21 or newer found (JAVA_HOME='${JAVA_HOME-}')." >&2
    echo "NiFi 2.x extensions are compiled for Java 21. Install a JDK 21+ (for example Temurin 21) or set JAVA_HOME to one." >&2
    return 1
  fi
  JAVA_HOME=$retl_best
  export JAVA_HOME
}
