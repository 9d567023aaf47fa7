/** The sending side of SMTP: finding the servers that receive a domain's mail (and, next, talking to them). */
package dev.postvault.smtp.client;
