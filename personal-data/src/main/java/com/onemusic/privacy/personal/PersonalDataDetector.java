package com.onemusic.privacy.personal;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds personal data in free text (search keywords, comments, request details). A match
 * counts only when it is valid for its kind (check digits, a real birth date, octets up
 * to 255), so an order number is not taken for an identity number. Where matches overlap,
 * the more specific kind wins (an email address over the mobile number in it, an identity
 * number over a bank card). Thread-safe.
 */
public final class PersonalDataDetector {

	private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

	private List<Rule> rules;

	private final Clock clock;

	/**
	 * A detector for every kind, with the system clock (for birth dates in the future).
	 */
	public PersonalDataDetector() {
		this(Clock.systemUTC());
	}

	/**
	 * A detector for some kinds only.
	 * @param clock the clock
	 * @param kinds the kinds to find
	 */
	public PersonalDataDetector(Clock clock, java.util.Set<PersonalDataKind> kinds) {
		this(clock);
		this.rules = this.rules.stream().filter((rule) -> kinds.contains(rule.kind())).toList();
	}

	public PersonalDataDetector(Clock clock) {
		this.clock = clock;
		// In order of precedence.
		this.rules = List.of(new Rule(PersonalDataKind.EMAIL,
				"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,24}",
				(value) -> true),
				new Rule(PersonalDataKind.DEVICE_UUID,
						"(?<![0-9A-Fa-f-])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Fa-f-])",
						(value) -> true),
				new Rule(PersonalDataKind.MAC_ADDRESS,
						"(?<![0-9A-Fa-f:-])[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\\1){4}[0-9A-Fa-f]{2}(?![0-9A-Fa-f:-])",
						(value) -> true),
				new Rule(PersonalDataKind.IPV6,
						"(?<![0-9A-Fa-f:.])[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(?![0-9A-Fa-f:])",
						PersonalDataDetector::ipv6),
				new Rule(PersonalDataKind.IPV4, "(?<![0-9.])(?:\\d{1,3}\\.){3}\\d{1,3}(?![0-9]|\\.\\d)",
						PersonalDataDetector::ipv4),
				new Rule(PersonalDataKind.RESIDENT_ID, "(?<![0-9A-Za-z])\\d{17}[0-9Xx](?![0-9A-Za-z])",
						(value) -> CheckDigits.residentId(value, LocalDate.now(this.clock.withZone(BEIJING)))),
				new Rule(PersonalDataKind.SOCIAL_CREDIT_CODE,
						"(?<![0-9A-Za-z])[0-9A-HJ-NP-RTUWXY]{2}\\d{6}[0-9A-HJ-NP-RTUWXY]{10}(?![0-9A-Za-z])",
						CheckDigits::socialCreditCode),
				new Rule(PersonalDataKind.BANK_CARD, "(?<![0-9])\\d{4}(?:[ -]?\\d{4}){3}(?:[ -]?\\d{1,3})?(?![0-9])",
						(value) -> {
							String digits = value.replaceAll("[ -]", "");
							return digits.length() >= 16 && digits.length() <= 19 && CheckDigits.luhn(digits);
						}),
				new Rule(PersonalDataKind.IMEI, "(?<![0-9])\\d{15}(?![0-9])", CheckDigits::luhn),
				new Rule(PersonalDataKind.MOBILE_NUMBER, "(?<![0-9+])(?:\\+?86[- ]?)?1[3-9]\\d{9}(?![0-9])",
						(value) -> true));
	}

	/**
	 * The personal data in a text, in text order, without overlaps.
	 * @param text the text, or null
	 * @return the matches
	 */
	public List<Match> find(String text) {
		if (text == null || text.isEmpty()) {
			return List.of();
		}
		List<Match> accepted = new ArrayList<>();
		for (Rule rule : this.rules) {
			Matcher matcher = rule.pattern().matcher(text);
			while (matcher.find()) {
				Match match = new Match(rule.kind(), matcher.start(), matcher.end(), matcher.group());
				if (rule.valid().test(match.value()) && accepted.stream().noneMatch(match::overlaps)) {
					accepted.add(match);
				}
			}
		}
		accepted.sort(Comparator.comparingInt(Match::start));
		return accepted;
	}

	/**
	 * Whether a text holds any personal data.
	 * @param text the text
	 * @return true when something is found
	 */
	public boolean contains(String text) {
		return !find(text).isEmpty();
	}

	/**
	 * The text with every match replaced by its kind in brackets, e.g.
	 * {@code [MOBILE_NUMBER]}: for text that is stored or analysed, where the value
	 * itself must go.
	 * @param text the text
	 * @return the scrubbed text
	 */
	public String scrub(String text) {
		return replace(text, (match) -> "[" + match.kind().name() + "]");
	}

	/**
	 * The text with every match masked for display (policy 4.2.3), e.g.
	 * {@code 138****5678}.
	 * @param text the text
	 * @return the masked text
	 */
	public String mask(String text) {
		return replace(text, (match) -> Masking.mask(match.kind(), match.value()));
	}

	private String replace(String text, java.util.function.Function<Match, String> replacement) {
		if (text == null) {
			return null;
		}
		StringBuilder out = new StringBuilder(text.length());
		int at = 0;
		for (Match match : find(text)) {
			out.append(text, at, match.start()).append(replacement.apply(match));
			at = match.end();
		}
		return out.append(text, at, text.length()).toString();
	}

	static boolean ipv4(String value) {
		for (String octet : value.split("\\.")) {
			if (octet.length() > 1 && octet.charAt(0) == '0' || Integer.parseInt(octet) > 255) {
				return false;
			}
		}
		return true;
	}

	static boolean ipv6(String value) {
		String lower = value.toLowerCase(Locale.ROOT);
		int compressed = lower.indexOf("::");
		if (compressed >= 0 && lower.indexOf("::", compressed + 1) >= 0) {
			return false;
		}
		if (lower.contains(":::")) {
			return false;
		}
		String[] halves = (compressed >= 0)
				? new String[] { lower.substring(0, compressed), lower.substring(compressed + 2) }
				: new String[] { lower };
		int groups = 0;
		for (String half : halves) {
			if (half.isEmpty()) {
				continue;
			}
			for (String group : half.split(":", -1)) {
				if (group.isEmpty() || group.length() > 4) {
					return false;
				}
				groups++;
			}
		}
		return (compressed >= 0) ? groups <= 7 && groups >= 1 : groups == 8;
	}

	private record Rule(PersonalDataKind kind, Pattern pattern, Predicate<String> valid) {

		Rule(PersonalDataKind kind, String regex, Predicate<String> valid) {
			this(kind, Pattern.compile(regex), valid);
		}

	}

}
