/** The bank workload: transfers between accounts and reads of every balance, checked by the bank checker. */
package io.faultline.workloads.bank;
