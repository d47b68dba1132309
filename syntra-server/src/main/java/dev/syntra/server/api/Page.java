package dev.syntra.server.api;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One page of a list, with the cursor of the next page ({@code null} on the last). Cursors are the
 * id of the last item: ids are time-ordered, so pages are stable while rows are added.
 */
public record Page<T>(List<T> data, @Nullable String nextCursor) {

  /** Query parameters of a list request: {@code limit} (1-200, default 50) and {@code cursor}. */
  public record Request(int limit, @Nullable UUID after) {
    public static Request of(@Nullable Integer limit, @Nullable String cursor) {
      int size = limit == null ? 50 : limit;
      if (size < 1 || size > 200) {
        throw ApiException.invalid("limit", "must be between 1 and 200");
      }
      UUID after = null;
      if (cursor != null && !cursor.isBlank()) {
        try {
          after = UUID.fromString(cursor);
        } catch (IllegalArgumentException e) {
          throw ApiException.invalid("cursor", "is not a cursor returned by this API");
        }
      }
      return new Request(size, after);
    }

    /** The lower bound for {@code id > :after}; the nil UUID before the first page. */
    public UUID afterOrStart() {
      return after == null ? new UUID(0, 0) : after;
    }

    /** Rows to fetch: one more than the page, to know whether another page follows. */
    public int fetchSize() {
      return limit + 1;
    }
  }

  /** Builds a page from up to {@code fetchSize()} rows ordered by id. */
  public static <T> Page<T> of(List<T> rows, Request request, Function<T, UUID> id) {
    if (rows.size() <= request.limit()) {
      return new Page<>(List.copyOf(rows), null);
    }
    List<T> page = List.copyOf(rows.subList(0, request.limit()));
    return new Page<>(page, id.apply(page.getLast()).toString());
  }
}
