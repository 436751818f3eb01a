package com.onemusic.privacy.anonymizer.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.onemusic.privacy.anonymizer.retention.RetentionSweep;
import com.onemusic.privacy.anonymizer.rules.FieldRules;
import com.onemusic.privacy.anonymizer.stats.Statistics;
import com.onemusic.privacy.personal.Masking;
import com.onemusic.privacy.personal.PersonalDataDetector;
import com.onemusic.privacy.platform.web.ApiProblem;

/**
 * Masking for display, statistics that identify nobody, the k-anonymity report, and the
 * rules in force.
 */
@RestController
class AnonymizerController {

	private final Statistics statistics;

	private final FieldRules rules;

	private final PersonalDataDetector detector;

	private final RetentionSweep retention;

	AnonymizerController(Statistics statistics, FieldRules rules, PersonalDataDetector detector,
			RetentionSweep retention) {
		this.statistics = statistics;
		this.rules = rules;
		this.detector = detector;
		this.retention = retention;
	}

	/**
	 * Where retention stands for each collection: period, action, cutoff, documents
	 * handled, expired documents waiting, last run.
	 */
	@GetMapping("/retention")
	Mono<List<Map<String, Object>>> retention() {
		return this.retention.status().collectList();
	}

	/**
	 * Masks a value for display (policy 4.2.3): a phone number, email, identity number,
	 * bank card, name, or any text (everything the detectors find in it).
	 */
	@PostMapping("/masking")
	Map<String, String> mask(@Valid @RequestBody MaskRequest request) {
		String value = request.value();
		String masked = switch (request.kind()) {
			case MOBILE_NUMBER -> Masking.mobile(value);
			case EMAIL -> Masking.email(value);
			case RESIDENT_ID -> Masking.residentId(value);
			case BANK_CARD -> Masking.bankCard(value);
			case NAME -> Masking.name(value);
			case TEXT -> this.detector.mask(value);
		};
		return Map.of("masked", masked);
	}

	/**
	 * A statistic over a period; cells with fewer than {@code k} users are suppressed.
	 */
	@GetMapping("/statistics/{metric}")
	Mono<Statistics.Result> statistic(@PathVariable String metric,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
			@RequestParam(defaultValue = "10") int k) {
		Statistics.Metric chosen;
		try {
			chosen = Statistics.Metric.valueOf(metric.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
		}
		catch (IllegalArgumentException ex) {
			return Mono.error(ApiProblem.notFound("unknown-metric", "No statistic '" + metric + "'; one of "
					+ List.of("daily-active-users-by-city", "events-by-birth-year", "location-grid")));
		}
		return Mono.defer(() -> this.statistics.compute(chosen, from, to, k));
	}

	/** How anonymous the stored events are over some quasi-identifiers. */
	@PostMapping("/k-anonymity")
	Mono<Statistics.KAnonymity> kAnonymity(@Valid @RequestBody KAnonymityRequest request) {
		if (request.collection() != null && !request.collection().equals(this.rules.collection())) {
			return Mono.error(ApiProblem.badRequest("unknown-collection", "No collection '" + request.collection()
					+ "' of de-identified records; the one there is: " + this.rules.collection()));
		}
		return Mono.defer(() -> this.statistics.kAnonymity(request.quasiIdentifiers(), request.k()));
	}

	/** The de-identification rules in force, by stored field. */
	@GetMapping("/rules")
	Map<String, Object> rules() {
		return Map.of("collection", this.rules.collection(), "fields", new java.util.TreeMap<>(this.rules.specs()),
				"otherFields", "drop");
	}

	/** What can be masked. */
	enum MaskKind {

		MOBILE_NUMBER, EMAIL, RESIDENT_ID, BANK_CARD, NAME, TEXT

	}

	/**
	 * A value to mask.
	 *
	 * @param kind what it is
	 * @param value the value
	 */
	record MaskRequest(@NotNull MaskKind kind, @NotBlank @Size(max = 10_000) String value) {

	}

	/**
	 * A k-anonymity question.
	 *
	 * @param collection the collection of de-identified records (the events, if not
	 * given)
	 * @param quasiIdentifiers stored fields
	 * @param k the class size wanted
	 */
	record KAnonymityRequest(@Size(max = 100) String collection,
			@NotNull @Size(min = 1, max = 10) List<@NotBlank String> quasiIdentifiers, @NotNull Integer k) {

	}

}
