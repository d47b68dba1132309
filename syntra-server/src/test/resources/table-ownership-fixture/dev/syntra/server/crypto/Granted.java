package dev.syntra.server.crypto;

// Fixture for TableOwnershipTest (not compiled): a granted column of another package's table.
class Granted {
  String sql = "SELECT key_version FROM organizations WHERE id = :org FOR SHARE";
}
