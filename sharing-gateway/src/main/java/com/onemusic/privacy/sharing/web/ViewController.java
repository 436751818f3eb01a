package com.onemusic.privacy.sharing.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import com.onemusic.privacy.sharing.SharingProperties;
import com.onemusic.privacy.sharing.view.ConsentFeed;
import com.onemusic.privacy.sharing.view.ConsentView;

/** How current this instance's consent view is. */
@RestController
class ViewController {

	private final ConsentFeed feed;

	private final ConsentView view;

	private final SharingProperties properties;

	ViewController(ConsentFeed feed, ConsentView view, SharingProperties properties) {
		this.feed = feed;
		this.view = view;
		this.properties = properties;
	}

	@GetMapping("/consent-view")
	Map<String, Object> status() {
		Duration lag = this.feed.lag();
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("lagMillis", (lag != null) ? lag.toMillis() : null);
		status.put("maxLagMillis", this.properties.view().maxLag().toMillis());
		status.put("maxStalenessMillis", this.properties.view().maxStaleness().toMillis());
		status.put("sharesAllowed", lag != null && lag.compareTo(this.properties.view().maxLag()) <= 0);
		status.put("currentPolicyVersion", this.view.policies().current().orElse(null));
		status.put("policyVersions", this.view.policies().size());
		status.put("cachedUsers", this.view.cachedUsers());
		status.put("recordsTakenSinceStart", this.feed.taken());
		Map<String, Long> positions = new TreeMap<>();
		this.feed.positions().forEach((partition, offset) -> positions.put(partition.toString(), offset));
		status.put("positions", positions);
		return status;
	}

}
