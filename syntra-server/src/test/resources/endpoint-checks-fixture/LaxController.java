package dev.syntra.server.fixture;

// Fixture for MutatingEndpointChecksTest (not compiled).
class LaxController {
  @GetMapping("/{id}")
  View get(Caller caller, @PathVariable UUID id) {
    caller.require(Permission.READ);
    return find(id);
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(Caller caller, @PathVariable UUID id) {
    caller.require(Permission.READ);
    remove(find(id));
    return ResponseEntity.noContent().build();
  }

  @PatchMapping("/{id}")
  View update(Caller caller, @PathVariable UUID id, @RequestBody JsonNode json) {
    View view = find(id);
    caller.require(Permission.WRITE);
    return change(view, json);
  }
}
