package dev.syntra.server.api;

/** One problem with a request field, at its JSON path ({@code $.health_check.path}). */
public record FieldError(String path, String message) {}
