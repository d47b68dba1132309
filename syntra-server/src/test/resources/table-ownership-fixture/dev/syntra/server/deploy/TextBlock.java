package dev.syntra.server.deploy;

// Fixture for TableOwnershipTest (not compiled): a text block joining service's table.
class TextBlock {
  String sql =
      """
      SELECT d.id FROM deployments d
        JOIN services s ON s.id = d.service_id
      """;
}
