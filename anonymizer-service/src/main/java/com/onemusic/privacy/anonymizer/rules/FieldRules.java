package com.onemusic.privacy.anonymizer.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The transformations of one collection's fields, parsed and checked from configuration.
 * A field the rules do not name is dropped (deny by default).
 *
 * <p>
 * Each rule is a short spec: {@code keep}, {@code drop}, {@code pseudonym},
 * {@code scrub}, {@code mask:<first>:<last>}, {@code replace:<text>},
 * {@code generalize-date:year|month}, {@code generalize-number:<width>},
 * {@code generalize-geo:<cell in degrees>},
 * {@code generalize-ip:<IPv4 bits>:<IPv6 bits>}.
 */
public final class FieldRules {

	/** The field that identifies the user; it can only be stored as a keyed pseudonym. */
	public static final String USER_ID = "userId";

	private final String collection;

	private final Map<String, Transformation> fields;

	private final Map<String, String> specs;

	private FieldRules(String collection, Map<String, Transformation> fields, Map<String, String> specs) {
		this.collection = collection;
		this.fields = Map.copyOf(fields);
		this.specs = Map.copyOf(specs);
	}

	/**
	 * Parses a collection's rules.
	 * @param collection the collection, for errors
	 * @param specs the spec of each field
	 * @return the rules
	 * @throws IllegalArgumentException listing every invalid rule
	 */
	public static FieldRules parse(String collection, Map<String, String> specs) {
		List<String> problems = new ArrayList<>();
		Map<String, Transformation> fields = new LinkedHashMap<>();
		specs.forEach((field, spec) -> {
			try {
				fields.put(field, transformation(field, (spec != null) ? spec.strip() : ""));
			}
			catch (IllegalArgumentException ex) {
				problems.add(collection + "." + field + ": " + ex.getMessage());
			}
		});
		if (!(fields.get(USER_ID) instanceof Transformation.Pseudonym)
				&& !problems.toString().contains("." + USER_ID)) {
			problems.add(collection + "." + USER_ID + ": must be 'pseudonym' (a keyed pseudonym under the user's key)");
		}
		if (!problems.isEmpty()) {
			throw new IllegalArgumentException("Invalid de-identification rules: " + String.join("; ", problems));
		}
		return new FieldRules(collection, fields, specs);
	}

	private static Transformation transformation(String field, String spec) {
		String[] parts = spec.split(":", -1);
		String name = parts[0];
		try {
			return switch (name) {
				case "keep" -> noArguments(parts, new Transformation.Keep());
				case "drop" -> noArguments(parts, new Transformation.Drop());
				case "pseudonym" -> noArguments(parts, new Transformation.Pseudonym(field));
				case "scrub" -> noArguments(parts, new Transformation.Scrub());
				case "mask" -> {
					arguments(parts, 2, "mask:<first>:<last>");
					yield new Transformation.Mask(nonNegative(parts[1]), nonNegative(parts[2]));
				}
				case "replace" -> {
					if (parts.length < 2) {
						throw new IllegalArgumentException("replace needs a value: replace:<text>");
					}
					yield new Transformation.Replace(spec.substring("replace:".length()));
				}
				case "generalize-date" -> {
					arguments(parts, 1, "generalize-date:year|month");
					if (!parts[1].equals("year") && !parts[1].equals("month")) {
						throw new IllegalArgumentException(
								"generalize-date keeps 'year' or 'month', not '" + parts[1] + "'");
					}
					yield new Transformation.GeneralizeDate(parts[1].equals("month"));
				}
				case "generalize-number" -> {
					arguments(parts, 1, "generalize-number:<width>");
					long width = Long.parseLong(parts[1]);
					if (width < 2) {
						throw new IllegalArgumentException("a band is at least 2 wide");
					}
					yield new Transformation.GeneralizeNumber(width);
				}
				case "generalize-geo" -> {
					arguments(parts, 1, "generalize-geo:<cell in degrees>");
					double cell = Double.parseDouble(parts[1]);
					if (!(cell >= 0.001 && cell <= 10)) {
						throw new IllegalArgumentException("a grid cell is 0.001 to 10 degrees");
					}
					yield new Transformation.GeneralizeGeo(cell);
				}
				case "generalize-ip" -> {
					arguments(parts, 2, "generalize-ip:<IPv4 bits>:<IPv6 bits>");
					int v4 = Integer.parseInt(parts[1]);
					int v6 = Integer.parseInt(parts[2]);
					if (v4 < 0 || v4 > 24 || v6 < 0 || v6 > 64) {
						throw new IllegalArgumentException(
								"an IP prefix keeps at most 24 bits of IPv4 and 64 bits of IPv6");
					}
					yield new Transformation.GeneralizeIp(v4, v6);
				}
				default -> throw new IllegalArgumentException("unknown rule '" + spec + "' (one of keep, drop, "
						+ "pseudonym, scrub, mask, replace, generalize-date, generalize-number, generalize-geo, "
						+ "generalize-ip)");
			};
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("'" + spec + "' has a number that is not one");
		}
	}

	private static Transformation noArguments(String[] parts, Transformation transformation) {
		if (parts.length != 1) {
			throw new IllegalArgumentException("'" + parts[0] + "' takes no arguments");
		}
		return transformation;
	}

	private static void arguments(String[] parts, int count, String form) {
		if (parts.length != count + 1) {
			throw new IllegalArgumentException("expected " + form);
		}
	}

	private static int nonNegative(String value) {
		int number = Integer.parseInt(value);
		if (number < 0) {
			throw new IllegalArgumentException("a count of characters cannot be negative");
		}
		return number;
	}

	/**
	 * The stored form of a raw record: each field its rule names, transformed; nothing
	 * else. Fields with dotted paths are stored nested.
	 * @param raw the raw record, by field path
	 * @param context the user's pseudonymizer and the detector
	 * @return the stored document
	 */
	public Map<String, Object> apply(Map<String, Object> raw, Transformation.Context context) {
		Map<String, Object> stored = new LinkedHashMap<>();
		raw.forEach((path, value) -> {
			Transformation transformation = this.fields.get(path);
			if (transformation == null || value == null) {
				return;
			}
			Object result = transformation.apply(value, context);
			if (result != null) {
				put(stored, path, result);
			}
		});
		return stored;
	}

	@SuppressWarnings("unchecked")
	private static void put(Map<String, Object> document, String path, Object value) {
		int dot = path.indexOf('.');
		if (dot < 0) {
			document.put(path, value);
			return;
		}
		Map<String, Object> nested = (Map<String, Object>) document.computeIfAbsent(path.substring(0, dot),
				(key) -> new LinkedHashMap<String, Object>());
		put(nested, path.substring(dot + 1), value);
	}

	public String collection() {
		return this.collection;
	}

	/**
	 * The rule of each field as configured.
	 * @return the specs, by field path
	 */
	public Map<String, String> specs() {
		return this.specs;
	}

	/**
	 * The rule of each field.
	 * @return the rules, by field path
	 */
	public Map<String, Transformation> fields() {
		return this.fields;
	}

}
