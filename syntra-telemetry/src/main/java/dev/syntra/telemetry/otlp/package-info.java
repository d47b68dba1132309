/**
 * OTLP wire helpers without a server framework: the OTLP/JSON codec ({@link
 * dev.syntra.telemetry.otlp.OtlpJson}) and the checks OTLP receivers apply to decoded requests
 * ({@link dev.syntra.telemetry.otlp.OtlpValidation}).
 */
@NullMarked
package dev.syntra.telemetry.otlp;

import org.jspecify.annotations.NullMarked;
