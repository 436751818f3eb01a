package com.onemusic.privacy.platform.web;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ServerWebInputException;

/**
 * Answers refused requests as {@code application/problem+json}: the service's own
 * {@link ApiProblem}s, bean-validation failures with one entry per field, unreadable
 * bodies (malformed JSON, unknown fields, wrong types) as 400, and bodies over the size
 * limit as 413, never 500.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ProblemAdvice {

	private static final Logger logger = LoggerFactory.getLogger(ProblemAdvice.class);

	@ExceptionHandler(ApiProblem.class)
	ResponseEntity<ProblemDetail> onApiProblem(ApiProblem problem) {
		ProblemDetail detail = ProblemDetail.forStatusAndDetail(problem.status(), problem.getMessage());
		detail.setType(problem.type());
		detail.setTitle(title(problem.typeName()));
		problem.properties().forEach(detail::setProperty);
		ResponseEntity.BodyBuilder response = ResponseEntity.status(problem.status());
		if (problem.status() == HttpStatus.SERVICE_UNAVAILABLE) {
			// Overload, not a fault: the same request may succeed in a moment.
			response.header(HttpHeaders.RETRY_AFTER, "1");
		}
		return response.body(detail);
	}

	@ExceptionHandler(WebExchangeBindException.class)
	ProblemDetail onInvalid(WebExchangeBindException ex) {
		List<Map<String, Object>> errors = ex.getFieldErrors()
			.stream()
			.map((FieldError error) -> Map.<String, Object>of("field", error.getField(), "message",
					String.valueOf(error.getDefaultMessage())))
			.toList();
		ProblemDetail detail = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"The request is invalid: " + errors.stream()
					.map((error) -> error.get("field") + " " + error.get("message"))
					.reduce((a, b) -> a + "; " + b)
					.orElse("see errors"));
		detail.setType(new ApiProblem(HttpStatus.BAD_REQUEST, "invalid-request", "").type());
		detail.setTitle("Invalid request");
		detail.setProperty("errors", errors);
		return detail;
	}

	@ExceptionHandler(DataBufferLimitException.class)
	ProblemDetail onTooLarge(DataBufferLimitException ex) {
		ProblemDetail detail = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
				"The request body is larger than this service takes");
		detail.setType(new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "").type());
		detail.setTitle("Body too large");
		return detail;
	}

	@ExceptionHandler(ServerWebInputException.class)
	ProblemDetail onUnreadable(ServerWebInputException ex) {
		if (ex.getMostSpecificCause() instanceof DataBufferLimitException tooLarge) {
			return onTooLarge(tooLarge);
		}
		String reason = (ex.getMostSpecificCause() != null) ? ex.getMostSpecificCause().getMessage() : ex.getReason();
		logger.debug("Unreadable request: {}", reason);
		ProblemDetail detail = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"The request could not be read: " + firstLine(reason));
		detail.setType(new ApiProblem(HttpStatus.BAD_REQUEST, "unreadable-request", "").type());
		detail.setTitle("Unreadable request");
		return detail;
	}

	private static String firstLine(String text) {
		if (text == null) {
			return "malformed body";
		}
		int newline = text.indexOf('\n');
		String line = (newline < 0) ? text : text.substring(0, newline);
		return (line.length() > 300) ? line.substring(0, 300) + "…" : line;
	}

	private static String title(String type) {
		String spaced = type.replace('-', ' ');
		return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
	}

}
