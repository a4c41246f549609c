// Where a request's head ends and the fields the connection front decides on (request_head.h).
#include "http/request_head.h"

#include <gtest/gtest.h>

namespace playsight::http {
namespace {

TEST(RequestHead, EndsAtTheFirstBlankLineAfterTheRequestLine) {
  EXPECT_EQ(request_head_length("GET / HTTP/1.1\r\nHost: x\r\n\r\nNEXT"), 27u);
  EXPECT_EQ(request_head_length("GET / HTTP/1.1\r\n\r\n"), 18u);
  EXPECT_EQ(request_head_length("GET / HTTP/1.1\r\nHost: x\r\n\r"), std::nullopt);
  EXPECT_EQ(request_head_length("GET / HTTP/1.1\r\nHost: x\r\n"), std::nullopt);
  EXPECT_EQ(request_head_length("GET / HT"), std::nullopt);
  EXPECT_EQ(request_head_length(""), std::nullopt);
}

TEST(RequestHead, ReadsTheBodyFramingFields) {
  const RequestHead head = parse_request_head(
      "POST /v1/x HTTP/1.1\r\ncontent-length:  12 \r\nContent-Encoding: GZip\r\n\r\n");
  EXPECT_EQ(head.method, "POST");
  EXPECT_EQ(head.content_length, 12u);
  EXPECT_FALSE(head.content_length_invalid);
  EXPECT_FALSE(head.transfer_encoding);
  EXPECT_EQ(head.content_encoding, "gzip");
  EXPECT_TRUE(parse_request_head("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
                  .transfer_encoding);
}

TEST(RequestHead, WithoutContentLengthTheBodyIsEmpty) {
  const RequestHead head = parse_request_head("POST / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(head.content_length, 0u);
  EXPECT_FALSE(head.content_length_invalid);
}

TEST(RequestHead, ABadOrConflictingContentLengthIsInvalid) {
  for (const char* head : {"POST / HTTP/1.1\r\nContent-Length: 12a\r\n\r\n",
                           "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
                           "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
                           "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n"})
    EXPECT_TRUE(parse_request_head(head).content_length_invalid) << head;
  EXPECT_EQ(parse_request_head("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n")
                .content_length,
            3u);
}

TEST(RequestHead, LinesWithoutCarriageReturnAreSkippedAsHttplibDoes) {
  EXPECT_EQ(parse_request_head("POST / HTTP/1.1\r\nContent-Length: 5\n\r\n").content_length, 0u);
  EXPECT_EQ(parse_request_head("BREW / HTTP/1.1\r\n\r\n").method, "other");
}

}  // namespace
}  // namespace playsight::http
