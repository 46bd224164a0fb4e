/* SPDX-License-Identifier: MIT */
/* A driver for the fuzz targets where libFuzzer is missing: runs each file
 * given (the seed corpus) once, and a fixed number of cheap mutations of it
 * (every prefix, and byte flips), so the targets build and run anywhere. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	static uint8_t buf[1 << 16];
	long runs = 0;

	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return 1;
		}
		size_t n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		for (size_t len = 0; len <= n; len++, runs++)
			LLVMFuzzerTestOneInput(buf, len);
		for (size_t at = 0; at < n; at++) {
			static const uint8_t flips[] = { 0, '(', ')', ' ', '\n', ':', '9', '-', 0xff };
			uint8_t was = buf[at];
			for (size_t k = 0; k < sizeof(flips); k++, runs++) {
				buf[at] = flips[k];
				LLVMFuzzerTestOneInput(buf, n);
			}
			buf[at] = was;
		}
	}
	printf("replayed %d inputs, %ld runs\n", argc - 1, runs);
	return 0;
}
