package com.onemusic.privacy.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * The compatibility levels of the Confluent registry, checked with Avro's own
 * {@link SchemaCompatibility}. BACKWARD: the new schema reads data of the previous one;
 * FORWARD: the previous schema reads data of the new one; FULL: both; *_TRANSITIVE:
 * against every earlier version, not only the latest; NONE: no check.
 */
public enum CompatibilityLevel {

	NONE(false, false, false), BACKWARD(true, false, false), BACKWARD_TRANSITIVE(true, false, true),
	FORWARD(false, true, false), FORWARD_TRANSITIVE(false, true, true), FULL(true, true, false),
	FULL_TRANSITIVE(true, true, true);

	private final boolean backward;

	private final boolean forward;

	private final boolean transitive;

	CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
		this.backward = backward;
		this.forward = forward;
		this.transitive = transitive;
	}

	/**
	 * Parses a level name, case-insensitively.
	 * @param name the name
	 * @return the level
	 * @throws RegistryException 42203 for an unknown name
	 */
	public static CompatibilityLevel parse(String name) {
		if (name != null) {
			for (CompatibilityLevel level : values()) {
				if (level.name().equals(name.trim().toUpperCase(Locale.ROOT))) {
					return level;
				}
			}
		}
		throw RegistryException.invalidCompatibilityLevel(String.valueOf(name));
	}

	/**
	 * Checks a new schema against the existing versions of a subject.
	 * @param candidate the new schema
	 * @param existing the subject's live versions, oldest first
	 * @return a description of each incompatibility; empty when compatible
	 */
	public List<String> check(Schema candidate, List<Schema> existing) {
		if (this == NONE || existing.isEmpty()) {
			return List.of();
		}
		List<Schema> against = this.transitive ? existing : List.of(existing.get(existing.size() - 1));
		List<String> problems = new ArrayList<>();
		for (Schema previous : against) {
			if (this.backward) {
				problems.addAll(problems(candidate, previous, "new schema cannot read data written with"));
			}
			if (this.forward) {
				problems.addAll(problems(previous, candidate, "data written with the new schema cannot be read by"));
			}
		}
		return problems;
	}

	private static List<String> problems(Schema reader, Schema writer, String what) {
		SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader,
				writer);
		if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
			return List.of();
		}
		return result.getResult()
			.getIncompatibilities()
			.stream()
			.map((incompatibility) -> "{errorType:'" + incompatibility.getType() + "', description:'" + what
					+ " an earlier version: " + incompatibility.getMessage() + "', location:'"
					+ incompatibility.getLocation() + "'}")
			.toList();
	}

}
