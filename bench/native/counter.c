// The native limit on this machine: threads increment one shared counter, with pthread_mutex_lock
// around ++ (mode "mutex") or with __atomic_fetch_add (mode "atomic"). All threads wait at a barrier;
// the time runs from the barrier to the last thread's finish, as race-demo times its workers.
// Prints: ns per increment, then the final count.
//   cc -O2 -pthread -o counter counter.c && ./counter mutex 4 1000000
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t barrier;
static volatile long counter = 0;
static long iters = 0;
static int use_mutex = 0;
static struct timespec released;

static double seconds(struct timespec t) { return (double)t.tv_sec + (double)t.tv_nsec / 1e9; }

static void *run(void *arg) {
  struct timespec *finished = arg;
  if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD) clock_gettime(CLOCK_MONOTONIC, &released);
  if (use_mutex) {
    for (long i = 0; i < iters; i++) {
      pthread_mutex_lock(&lock);
      counter++;
      pthread_mutex_unlock(&lock);
    }
  } else {
    for (long i = 0; i < iters; i++) __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
  }
  clock_gettime(CLOCK_MONOTONIC, finished);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 4 || (strcmp(argv[1], "mutex") != 0 && strcmp(argv[1], "atomic") != 0)) {
    fprintf(stderr, "usage: counter mutex|atomic THREADS ITERS\n");
    return 2;
  }
  use_mutex = strcmp(argv[1], "mutex") == 0;
  int threads = atoi(argv[2]);
  iters = atol(argv[3]);
  pthread_t ids[256];
  struct timespec finished[256];
  if (threads < 1 || threads > 256 || iters < 1) return 2;
  pthread_barrier_init(&barrier, NULL, (unsigned)threads);
  for (int t = 0; t < threads; t++) pthread_create(&ids[t], NULL, run, &finished[t]);
  double last = 0;
  for (int t = 0; t < threads; t++) {
    pthread_join(ids[t], NULL);
    if (seconds(finished[t]) > last) last = seconds(finished[t]);
  }
  printf("%.3f %ld\n", (last - seconds(released)) * 1e9 / ((double)threads * (double)iters), counter);
  return 0;
}
