/** `ironic-conductor --help`. */
export const USAGE = `Usage:
  ironic-conductor [--config <file>]               run the conductor
  ironic-conductor db upgrade [--config <file>]    apply pending database migrations, then exit
  ironic-conductor db version [--config <file>]    show the database's schema version, then exit
  ironic-conductor healthcheck [--config <file>]   exit 0 when the running conductor's GET /healthz is 200

Runs the conductor: loads the enabled driver packages, keeps nodes in PGlite (or PostgreSQL with
DATABASE_URL), runs periodic tasks and serves the Ironic API (default http://127.0.0.1:6385).

Options:
  -c, --config <file>  JSON configuration file (default: $IRONIC_CONDUCTOR_CONFIG, else defaults only)
  -h, --help           show this help
  -v, --version        show the version

Every field, its default and its environment variable: CONFIGURATION.md in @ironic/conductor.
Exit codes: 0 done (or stopped cleanly by SIGTERM/SIGINT); 1 failed (the cause on stderr); 2 bad usage;
130 a second signal during shutdown.
`;
