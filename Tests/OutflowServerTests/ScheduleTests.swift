import Foundation
import OutflowCore
import OutflowServer
import Testing

/// DESIGN section 13's arithmetic for every period and the scheduleStart edges.
@Suite("Schedule arithmetic")
struct ScheduleTests {
    /// 2024-05-31T00:00:00Z, a UTC midnight.
    static let midnight = Date(timeIntervalSince1970: 1_717_113_600)

    /// Every period with the starts at the edges: 0, 1439, and around the period's boundary.
    static let cases: [(SchedulePeriod, Int)] = SchedulePeriod.allCases.flatMap { period in
        Set([0, 1439, period.minutes - 1, period.minutes, period.minutes + 1].filter { (0...1439).contains($0) }).sorted().map { (period, $0) }
    }

    static func at(_ minutes: Int, seconds: Double = 0) -> Date {
        midnight.addingTimeInterval(Double(minutes) * 60 + seconds)
    }

    @Test("the due minutes of a day are start, start ± period, ... and nothing else", arguments: cases)
    func dueMinutes(period: SchedulePeriod, start: Int) {
        // Walked from start by the period, independently of the formula under test.
        var expected = Set<Int>()
        var minute = start
        repeat {
            expected.insert(minute)
            minute = (minute + period.minutes) % 1440
        } while minute != start
        let due = Set((0..<1440).filter { Schedule.isDue(period: period, start: start, minuteOfDay: $0) })
        #expect(due == expected)
        #expect(due.count == 1440 / period.minutes)
        #expect(Schedule.isDue(period: period, start: start, minuteOfDay: start))
        #expect(!Schedule.isDue(period: period, start: start, minuteOfDay: (start + 1) % 1440))
        #expect(!Schedule.isDue(period: period, start: start, minuteOfDay: (start + 1439) % 1440))
    }

    @Test("nextRun is the first due minute strictly after the time, across midnight", arguments: cases)
    func nextRun(period: SchedulePeriod, start: Int) {
        // A second before the start minute: the start minute itself.
        #expect(Schedule.nextRun(after: Self.at(start, seconds: -1), period: period, start: start) == Self.at(start))
        // On the start minute or within it: one period later (the next day's, for 24h).
        #expect(Schedule.nextRun(after: Self.at(start), period: period, start: start) == Self.at(start + period.minutes))
        #expect(Schedule.nextRun(after: Self.at(start, seconds: 59.5), period: period, start: start) == Self.at(start + period.minutes))
        // Walking nextRun over two days meets exactly the minutes isDue accepts.
        var walked: [Int] = []
        var date = Self.at(0, seconds: -1)
        while true {
            date = Schedule.nextRun(after: date, period: period, start: start)
            let minutes = Int(date.timeIntervalSince(Self.midnight) / 60)
            if minutes >= 2880 { break }
            walked.append(minutes)
        }
        let accepted = (0..<2880).filter { Schedule.isDue(period: period, start: start, minuteOfDay: $0 % 1440) }
        #expect(walked == accepted)
    }

    @Test("24h starting at 23:59 runs once a day at 23:59")
    func dailyAtLastMinute() {
        #expect(Schedule.isDue(period: .h24, start: 1439, minuteOfDay: 1439))
        #expect(!Schedule.isDue(period: .h24, start: 1439, minuteOfDay: 0))
        #expect(Schedule.nextRun(after: Self.at(0), period: .h24, start: 1439) == Self.at(1439))
        #expect(Schedule.nextRun(after: Self.at(1439), period: .h24, start: 1439) == Self.at(1439 + 1440))
        #expect(Schedule.nextRun(after: Self.at(1439, seconds: 30), period: .h24, start: 1439) == Self.at(1439 + 1440))
    }

    @Test("5m starting at 23:59 wraps to 00:04 of the next day")
    func wrapAroundMidnight() {
        #expect(Schedule.nextRun(after: Self.at(1439), period: .m5, start: 1439) == Self.at(1440 + 4))
        #expect(Schedule.isDue(period: .m5, start: 1439, minuteOfDay: 4))
        #expect(Schedule.isDue(period: .m15, start: 1439, minuteOfDay: 14))
        #expect(Schedule.nextRun(after: Self.at(1438, seconds: 59.9), period: .m15, start: 1439) == Self.at(1439))
    }

    @Test("the minute of the day is UTC and wraps at midnight")
    func minuteOfDay() {
        #expect(Schedule.minuteOfDay(Self.midnight) == 0)
        #expect(Schedule.minuteOfDay(Self.at(1439, seconds: 59.999)) == 1439)
        #expect(Schedule.minuteOfDay(Self.at(1440)) == 0)
        #expect(Schedule.minuteOfDay(Self.at(75, seconds: 30)) == 75)
        #expect(Schedule.minuteStart(Self.at(75, seconds: 30)) == Self.at(75))
    }
}
