package tally

import (
	"crypto/hmac"
	"crypto/sha256"
	"strconv"
)

// lotteryDomain separates lottery draws from any other use of a seed.
const lotteryDomain = "comuna/tally/lottery/v1"

// LotteryRank returns the lottery draw of one project: HMAC-SHA256 keyed
// with the seed's UTF-8 bytes, of the message
//
//	comuna/tally/lottery/v1 LF round id LF circuit code LF ballot number
//
// with the round id and ballot number in decimal, LF a newline (0x0A) and
// no newline at the end. Among tied projects, the lowest draw (compared as
// bytes, that is as a 64-digit hex string) goes first. Anyone can recompute
// a draw, e.g. for round 12, circuit CC-0001, number 3:
//
//	printf 'comuna/tally/lottery/v1\n12\nCC-0001\n3' | openssl dgst -sha256 -hmac "$SEED"
//
// Circuit codes contain no newline, so the message is unambiguous.
func LotteryRank(seed string, roundID int64, circuit string, number int) [32]byte {
	m := hmac.New(sha256.New, []byte(seed))
	m.Write(lotteryMessage(roundID, circuit, number))
	return [32]byte(m.Sum(nil))
}

// LotteryRanks returns the lottery draws of several projects of one
// circuit, as LotteryRank computes each, with one HMAC for all.
func LotteryRanks(seed string, roundID int64, circuit string, numbers []int) [][32]byte {
	m := hmac.New(sha256.New, []byte(seed))
	out := make([][32]byte, len(numbers))
	for i, n := range numbers {
		m.Reset()
		m.Write(lotteryMessage(roundID, circuit, n))
		m.Sum(out[i][:0])
	}
	return out
}

// lotteryMessage is the message LotteryRank documents.
func lotteryMessage(roundID int64, circuit string, number int) []byte {
	b := make([]byte, 0, len(lotteryDomain)+len(circuit)+48)
	b = append(b, lotteryDomain...)
	b = strconv.AppendInt(append(b, '\n'), roundID, 10)
	b = append(append(b, '\n'), circuit...)
	return strconv.AppendInt(append(b, '\n'), int64(number), 10)
}
