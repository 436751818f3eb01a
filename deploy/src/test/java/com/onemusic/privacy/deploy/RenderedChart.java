package com.onemusic.privacy.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart in {@code deploy/k8s}, rendered by Helm itself (the Helm library, not a
 * re-implementation) with one of its values files, as {@code helm template} would for an
 * installation.
 *
 * @param overlay the values file's name: {@code dev} for {@code values-dev.yaml}
 * @param objects every rendered object, in order
 */
record RenderedChart(String overlay, List<K8sObject> objects) {

	/** The chart's folder, relative to this module. */
	static final Path CHART = Path.of("k8s");

	/** The release name the tests install under. */
	static final String RELEASE = "privacy";

	static final String NAMESPACE = "onemusic-privacy";

	private static final Map<String, RenderedChart> RENDERED = new ConcurrentHashMap<>();

	/**
	 * The chart rendered with {@code values-<overlay>.yaml}, once per test JVM.
	 * @param overlay {@code dev} or {@code prod}
	 * @return the rendered chart
	 */
	static RenderedChart of(String overlay) {
		return RENDERED.computeIfAbsent(overlay, RenderedChart::render);
	}

	private static RenderedChart render(String overlay) {
		return new RenderedChart(overlay, parse(render(overlay, Map.of())));
	}

	/**
	 * Renders the chart with a values file and single values set on top, as
	 * {@code helm template --set} does; Helm checks the values against the chart's
	 * {@code values.schema.json} first.
	 * @param overlay {@code dev} or {@code prod}
	 * @param sets values by path, e.g. {@code image.tag}
	 * @return the manifest
	 */
	static String render(String overlay, Map<String, Object> sets) {
		Path values = CHART.resolve("values-" + overlay + ".yaml");
		if (!Files.isRegularFile(values)) {
			throw new IllegalArgumentException("No values file " + values.toAbsolutePath());
		}
		TemplateCommand template = new Helm(CHART).template()
			.withName(RELEASE)
			.withNamespace(NAMESPACE)
			.withKubeVersion(System.getProperty("privacy.deploy.kubernetes-version", "1.33.0"))
			.withValuesFile(values);
		sets.forEach(template::set);
		return template.call();
	}

	@SuppressWarnings("unchecked")
	static List<K8sObject> parse(String manifest) {
		LoaderOptions options = new LoaderOptions();
		options.setAllowDuplicateKeys(false);
		List<K8sObject> objects = new ArrayList<>();
		for (Object document : new Yaml(options).loadAll(manifest)) {
			if (document != null) {
				objects.add(new K8sObject((Map<String, Object>) document));
			}
		}
		return objects;
	}

	List<K8sObject> ofKind(String kind) {
		return this.objects.stream().filter((object) -> object.kind().equals(kind)).toList();
	}

	K8sObject get(String kind, String name) {
		return this.objects.stream()
			.filter((object) -> object.kind().equals(kind) && object.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No " + kind + " " + name + " in the " + this.overlay + " chart"));
	}

	List<K8sObject> where(Predicate<K8sObject> condition) {
		return this.objects.stream().filter(condition).toList();
	}

	@Override
	public String toString() {
		return this.overlay;
	}

}
