package dev.partyline.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplyCacheTest {
    @Test
    void aRequestRunsOnceAndIsThenAnsweredFromMemory() {
        ReplyCache cache = new ReplyCache(8, 1024);
        assertThat(cache.begin(1, 7)).isEqualTo(ReplyCache.Status.NEW);
        assertThat(cache.begin(1, 7)).isEqualTo(ReplyCache.Status.IN_FLIGHT);
        cache.answered(1, new byte[] {42});
        assertThat(cache.begin(1, 7)).isEqualTo(ReplyCache.Status.ANSWERED);
        assertThat(cache.reply(1)).containsExactly(42);
    }

    @Test
    void theOldestRepliesGoFirstWhenTheCountIsReached() {
        ReplyCache cache = new ReplyCache(3, 1024);
        for (long id = 1; id <= 5; id++) {
            cache.begin(id, 7);
            cache.answered(id, new byte[] {(byte) id});
        }
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.reply(2)).isNull();
        assertThat(cache.reply(3)).isNotNull();
        assertThat(cache.begin(2, 7)).as("forgotten: it would run again").isEqualTo(ReplyCache.Status.NEW);
    }

    @Test
    void theOldestRepliesGoFirstWhenTheBytesAreReachedButTheNewestStays() {
        ReplyCache cache = new ReplyCache(100, 100);
        cache.answered(1, new byte[60]);
        cache.answered(2, new byte[60]);
        assertThat(cache.reply(1)).isNull();
        assertThat(cache.retainedBytes()).isEqualTo(60);
        cache.answered(3, new byte[500]);
        assertThat(cache.reply(3)).as("a single large reply is still kept").hasSize(500);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void requestsThatNeverGetAReplyDoNotPinMemory() {
        ReplyCache cache = new ReplyCache(4, 1024);
        for (long id = 1; id <= 100; id++) {
            cache.begin(id, 7);
        }
        assertThat(cache.begin(1, 7)).as("the oldest unanswered id was forgotten").isEqualTo(ReplyCache.Status.NEW);
    }

    @Test
    void anIdReusedForADifferentRequestIsAConflictNotAResend() {
        ReplyCache cache = new ReplyCache(8, 1024);
        cache.begin(1, 7);
        assertThat(cache.begin(1, 8)).isEqualTo(ReplyCache.Status.CONFLICT);
        cache.answered(1, new byte[] {1});
        assertThat(cache.begin(1, 8)).isEqualTo(ReplyCache.Status.CONFLICT);
        assertThat(cache.begin(1, 7)).isEqualTo(ReplyCache.Status.ANSWERED);
    }

    @Test
    void aForgottenRequestRunsAgainAndKeepsNoBytes() {
        ReplyCache cache = new ReplyCache(8, 1024);
        cache.begin(1, 7);
        cache.forgetRequest(1);
        assertThat(cache.begin(1, 7)).isEqualTo(ReplyCache.Status.NEW);
        cache.answered(1, new byte[100]);
        cache.forgetRequest(1);
        assertThat(cache.begin(1, 7)).isEqualTo(ReplyCache.Status.NEW);
        cache.forgetRequest(1);
        cache.forgetRequest(2); // never seen: nothing to do
        assertThat(cache.retainedBytes()).isZero();
        assertThat(cache.size()).isZero();
    }
}
