package com.onemusic.privacy.anonymizer.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

import com.onemusic.privacy.events.DeviceIdentifiers;
import com.onemusic.privacy.events.UserActivityRecorded;

/** A raw analytics event as field paths, as the de-identification rules name them. */
public final class RawEvents {

	private RawEvents() {
	}

	/**
	 * The event's fields by path ({@code device.imei}, {@code properties.channel}).
	 * @param event the raw event
	 * @return the fields, null values included
	 */
	public static Map<String, Object> flatten(UserActivityRecorded event) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("userId", event.getUserId());
		fields.put("occurredAt", event.getOccurredAt());
		fields.put("eventType", event.getEventType());
		fields.put("page", event.getPage());
		fields.put("searchKeywords", event.getSearchKeywords());
		fields.put("content", event.getContent());
		DeviceIdentifiers device = event.getDevice();
		if (device != null) {
			fields.put("device.imei", device.getImei());
			fields.put("device.meid", device.getMeid());
			fields.put("device.androidId", device.getAndroidId());
			fields.put("device.idfa", device.getIdfa());
			fields.put("device.oaid", device.getOaid());
			fields.put("device.openUdid", device.getOpenUdid());
			fields.put("device.mac", device.getMac());
			fields.put("device.imsi", device.getImsi());
			fields.put("device.model", device.getModel());
			fields.put("device.os", device.getOs());
			fields.put("device.osVersion", device.getOsVersion());
			fields.put("device.resolution", device.getResolution());
		}
		fields.put("ip", event.getIp());
		if (event.getLocation() != null) {
			fields.put("location",
					new double[] { event.getLocation().getLatitude(), event.getLocation().getLongitude() });
		}
		fields.put("city", event.getCity());
		fields.put("birthDate", event.getBirthDate());
		fields.put("gender", event.getGender());
		event.getProperties().forEach((key, value) -> fields.put("properties." + key, value));
		return fields;
	}

}
