package com.onemusic.privacy.dsr.request;

/** Where a request came in. */
public enum DsrChannel {

	APP, WEB, CUSTOMER_SERVICE, BACKEND_SERVICE

}
