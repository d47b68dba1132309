package dev.syntra.server.service;

// Fixture for TableOwnershipTest (not compiled): service reads fleet's table.
class ReadsServers {
  String sql() {
    return "SELECT count(*) FROM"
        + " servers WHERE org_id = :org";
  }
}
