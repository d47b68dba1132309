package dev.syntra.server.fleet;

// Fixture for TableOwnershipTest (not compiled): the owner queries its table; words in comments
// such as "update servers from the agent" and non-table names after FROM are not uses.
class OwnTable {
  String sql = "SELECT * FROM servers s JOIN syntra_find_server_by_agent(:agent) f ON true";
}
