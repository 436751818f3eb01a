package com.onemusic.privacy.consent.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import com.onemusic.privacy.consent.ledger.ConsentRefused;
import com.onemusic.privacy.platform.web.ApiProblem;

/**
 * Answers a refused consent change as {@code application/problem+json}: 400 for a
 * malformed request (unknown scope, unknown policy version, bad user id, …), 422 for a
 * well-formed one that the rules refuse (a minor without a guardian).
 */
@RestControllerAdvice
class ConsentProblems {

	@ExceptionHandler(ConsentRefused.class)
	ProblemDetail onRefused(ConsentRefused refused) {
		HttpStatus status = refused.reason().badInput() ? HttpStatus.BAD_REQUEST : HttpStatus.UNPROCESSABLE_CONTENT;
		ApiProblem problem = new ApiProblem(status, refused.reason().typeName(), refused.getMessage(),
				refused.items().isEmpty() ? java.util.Map.of() : java.util.Map.of("items", refused.items()));
		ProblemDetail detail = ProblemDetail.forStatusAndDetail(status, refused.getMessage());
		detail.setType(problem.type());
		detail.setTitle(refused.reason().typeName());
		problem.properties().forEach(detail::setProperty);
		return detail;
	}

}
