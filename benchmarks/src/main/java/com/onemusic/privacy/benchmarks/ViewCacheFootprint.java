package com.onemusic.privacy.benchmarks;

import java.time.Instant;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import com.onemusic.privacy.sharing.view.ConsentState;
import com.onemusic.privacy.sharing.view.UserState;

/**
 * The heap one user takes in the sharing-gateway's consent view cache
 * ({@code sharing.view.cache-size}), for sizing the cache against the gateway's heap:
 * fills a cache like the view's with users holding one and four consents, every string
 * its own copy as when read from events, and prints the heap used per user (after
 * collecting, before and after). Arguments: users (default 200,000).
 */
public final class ViewCacheFootprint {

	private static final String[] SCOPES = { "sharing.service-providers", "sharing.merchants",
			"purpose.third-party-advertising", "sharing.sensitive" };

	private ViewCacheFootprint() {
	}

	public static void main(String[] args) throws InterruptedException {
		int users = (args.length > 0) ? Integer.parseInt(args[0]) : 200_000;
		for (int scopes : new int[] { 1, SCOPES.length }) {
			Cache<String, UserState> cache = Caffeine.newBuilder().maximumSize(users).build();
			long before = usedHeap();
			for (int i = 0; i < users; i++) {
				String user = "u-" + UUID.randomUUID();
				UserState state = UserState.empty(user);
				for (int s = 0; s < scopes; s++) {
					state = state.with(new ConsentState(new String(SCOPES[s].toCharArray()), true,
							new String("2026.01".toCharArray()), 1000L + i, Instant.now()));
				}
				cache.put(user, state);
			}
			cache.cleanUp();
			long used = usedHeap() - before;
			System.out.printf("%,d users with %d consent(s) each: %.0f bytes per cached user, %.0f MB in all%n",
					cache.estimatedSize(), scopes, used / (double) users, used / 1e6);
		}
	}

	private static long usedHeap() throws InterruptedException {
		for (int i = 0; i < 5; i++) {
			System.gc();
			Thread.sleep(200);
		}
		Runtime runtime = Runtime.getRuntime();
		return runtime.totalMemory() - runtime.freeMemory();
	}

}
