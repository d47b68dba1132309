package dev.syntra.server.auth;

/** What an endpoint needs: a token scope and a minimum role, both required. */
public enum Permission {
  /** View anything in the organization. */
  READ(Scope.READ, Role.VIEWER),
  /** Change projects, services and env vars. */
  WRITE(Scope.WRITE, Role.DEVELOPER),
  /** Deploy, roll back, restart, scale, stop. */
  DEPLOY(Scope.DEPLOY, Role.DEVELOPER),
  /** Manage members, tokens of others, servers, webhooks, the audit log; reveal secrets. */
  ADMIN(Scope.ADMIN, Role.ADMIN),
  /** Owner-only: organization settings, key rotation, changing owners. */
  OWNER(Scope.ADMIN, Role.OWNER);

  private final Scope scope;
  private final Role minimumRole;

  Permission(Scope scope, Role minimumRole) {
    this.scope = scope;
    this.minimumRole = minimumRole;
  }

  public Scope scope() {
    return scope;
  }

  public Role minimumRole() {
    return minimumRole;
  }
}
