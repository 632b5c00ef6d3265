/* What a page's first touch costs on this machine: mmap 200 MiB of anonymous memory and write one byte per
 * 4 KiB page, timed; then the same after MADV_HUGEPAGE, after MADV_POPULATE_WRITE (the kernel maps every page in
 * one call), a second touch of mapped pages, and a touch of memory that was unmapped and mapped again (what a
 * heap that gives pages back and takes them again pays). */
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#define SIZE ((size_t)200 << 20)
#define PAGES (SIZE / 4096)

static double now_us(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e6 + t.tv_nsec / 1e3; }
static char *map(void) { return mmap(0, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); }
static double touch(char *p, char v) { double t = now_us(); for (size_t i = 0; i < SIZE; i += 4096) p[i] = v; return (now_us() - t) / PAGES; }

int main(void)
{
    char *p = map();
    printf("first touch, 4 KiB pages:         %6.2f us per page\n", touch(p, 1));
    printf("second touch of the same pages:   %6.3f us per page\n", touch(p, 2));
    munmap(p, SIZE);
    p = map();
    printf("first touch after unmap and map:  %6.2f us per page\n", touch(p, 1));
    munmap(p, SIZE);
    p = map();
    madvise(p, SIZE, MADV_HUGEPAGE);
    printf("first touch, MADV_HUGEPAGE:       %6.2f us per 4 KiB\n", touch(p, 1));
    munmap(p, SIZE);
    p = map();
    double t = now_us();
    int rc = madvise(p, SIZE, MADV_POPULATE_WRITE);
    double populate = (now_us() - t) / PAGES;
    printf("MADV_POPULATE_WRITE (rc %d):       %6.2f us per page, then first touch %6.2f us per page\n", rc, populate, touch(p, 1));
    return 0;
}
