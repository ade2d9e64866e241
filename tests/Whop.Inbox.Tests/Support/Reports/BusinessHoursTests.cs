using Whop.Inbox.Support.Reports;

namespace Whop.Inbox.Tests.Support.Reports;

/// <summary>Business time between two instants: the pure function every response and resolution time goes through.</summary>
public sealed class BusinessHoursTests
{
    private static readonly BusinessHours OfficeHours = new("Europe/Berlin", WorkingDays.Weekdays, new TimeOnly(9, 0), new TimeOnly(17, 0));

    /// <summary>A Berlin wall-clock time (December: UTC+1 unless the test says otherwise).</summary>
    private static DateTimeOffset Berlin(int year, int month, int day, int hour, int minute = 0)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    [Fact]
    public void The_default_hours_are_plain_wall_clock_time()
    {
        var from = new DateTimeOffset(2026, 12, 5, 23, 10, 0, TimeSpan.Zero);
        BusinessHours.AllDay.IsAlways.ShouldBeTrue();
        BusinessHours.AllDay.Between(from, from.AddHours(30).AddSeconds(7)).ShouldBe(TimeSpan.FromHours(30) + TimeSpan.FromSeconds(7));
    }

    [Fact]
    public void Zero_length_and_reversed_spans_take_no_time()
    {
        var at = Berlin(2026, 12, 7, 10);
        OfficeHours.Between(at, at).ShouldBe(TimeSpan.Zero);
        OfficeHours.Between(at, at.AddHours(-1)).ShouldBe(TimeSpan.Zero);
        BusinessHours.AllDay.Between(at, at).ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void Time_inside_working_hours_counts_in_full()
    {
        OfficeHours.Between(Berlin(2026, 12, 7, 10), Berlin(2026, 12, 7, 11, 30)).ShouldBe(TimeSpan.FromMinutes(90));
    }

    [Fact]
    public void Overnight_only_the_working_hours_on_either_side_count()
    {
        // Monday 16:30 to Tuesday 09:45: half an hour on Monday, three quarters on Tuesday.
        OfficeHours.Between(Berlin(2026, 12, 7, 16, 30), Berlin(2026, 12, 8, 9, 45)).ShouldBe(TimeSpan.FromMinutes(75));
    }

    [Fact]
    public void A_weekend_counts_nothing()
    {
        // Friday 16:00 to Monday 10:00: one hour on Friday, one on Monday.
        OfficeHours.Between(Berlin(2026, 12, 4, 16), Berlin(2026, 12, 7, 10)).ShouldBe(TimeSpan.FromHours(2));
        // Entirely on a Saturday and Sunday.
        OfficeHours.Between(Berlin(2026, 12, 5, 10), Berlin(2026, 12, 6, 18)).ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void Start_and_end_outside_working_hours_count_only_the_hours_between()
    {
        // Monday 06:00 to 20:00: the whole working day, no more.
        OfficeHours.Between(Berlin(2026, 12, 7, 6), Berlin(2026, 12, 7, 20)).ShouldBe(TimeSpan.FromHours(8));
        // Monday 18:00 to Tuesday 08:00: nothing.
        OfficeHours.Between(Berlin(2026, 12, 7, 18), Berlin(2026, 12, 8, 8)).ShouldBe(TimeSpan.Zero);
        // A whole working week from Sunday night to Saturday morning.
        OfficeHours.Between(Berlin(2026, 12, 6, 22), Berlin(2026, 12, 12, 7)).ShouldBe(TimeSpan.FromHours(40));
    }

    [Fact]
    public void A_shift_past_midnight_belongs_to_the_day_it_starts()
    {
        var nights = new BusinessHours("Europe/Berlin", WorkingDays.Monday, new TimeOnly(22, 0), new TimeOnly(6, 0));
        // Monday 22:00 to Tuesday 06:00 is Monday's shift; Tuesday night is not worked.
        nights.Between(Berlin(2026, 12, 7, 20), Berlin(2026, 12, 9, 12)).ShouldBe(TimeSpan.FromHours(8));
        nights.Between(Berlin(2026, 12, 8, 1), Berlin(2026, 12, 8, 3)).ShouldBe(TimeSpan.FromHours(2));
    }

    [Fact]
    public void A_day_when_the_clocks_go_forward_has_an_hour_less()
    {
        var everyDay = new BusinessHours("Europe/Berlin", WorkingDays.Every, TimeOnly.MinValue, TimeOnly.MinValue);
        // Berlin went to summer time on Sunday 29 March 2026: from Saturday noon to Sunday noon is 23 hours.
        everyDay.Between(Berlin(2026, 3, 28, 12), Berlin(2026, 3, 29, 12)).ShouldBe(TimeSpan.FromHours(23));
        // Office hours that day still span the eight hours on the clock.
        var sundays = new BusinessHours("Europe/Berlin", WorkingDays.Sunday, new TimeOnly(1, 0), new TimeOnly(5, 0));
        sundays.Between(Berlin(2026, 3, 28, 12), Berlin(2026, 3, 30, 12)).ShouldBe(TimeSpan.FromHours(3), "01:00 to 05:00 on the clock, with 02:00 to 03:00 skipped");
    }

    [Fact]
    public void A_day_when_the_clocks_go_back_has_an_hour_more()
    {
        var everyDay = new BusinessHours("Europe/Berlin", WorkingDays.Every, TimeOnly.MinValue, TimeOnly.MinValue);
        // Back to winter time on Sunday 25 October 2026.
        everyDay.Between(Berlin(2026, 10, 24, 12), Berlin(2026, 10, 25, 12)).ShouldBe(TimeSpan.FromHours(25));
        var sundays = new BusinessHours("Europe/Berlin", WorkingDays.Sunday, new TimeOnly(1, 0), new TimeOnly(5, 0));
        sundays.Between(Berlin(2026, 10, 24, 12), Berlin(2026, 10, 26, 12)).ShouldBe(TimeSpan.FromHours(5));
    }

    [Fact]
    public void Days_are_counted_in_the_companys_time_zone()
    {
        var tokyo = new BusinessHours("Asia/Tokyo", WorkingDays.Weekdays, new TimeOnly(9, 0), new TimeOnly(17, 0));
        // Monday 09:00 in Tokyo is Monday 00:00 UTC; Sunday 23:00 UTC is still Sunday's last hour... and Monday 08:00 in Tokyo.
        tokyo.Between(new DateTimeOffset(2026, 12, 6, 23, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero))
            .ShouldBe(TimeSpan.FromHours(2));
        tokyo.DayOf(new DateTimeOffset(2026, 12, 6, 20, 0, 0, TimeSpan.Zero)).ShouldBe(new DateOnly(2026, 12, 7));
        tokyo.StartOf(new DateOnly(2026, 12, 7)).ShouldBe(new DateTimeOffset(2026, 12, 6, 15, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void A_long_span_counts_every_working_day()
    {
        // 2026-12-07 (Monday) to 2027-01-04 (Monday): four weeks of five eight-hour days.
        OfficeHours.Between(Berlin(2026, 12, 7, 0), Berlin(2027, 1, 4, 0)).ShouldBe(TimeSpan.FromHours(4 * 5 * 8));
    }

    [Theory]
    [InlineData("Mars/Olympus", "time_zone")]
    [InlineData("", "time_zone")]
    public void Unknown_time_zones_are_refused_naming_the_field(string zone, string field)
    {
        BusinessHours.Check(zone, WorkingDays.Weekdays, new TimeOnly(9, 0), new TimeOnly(17, 0)).Failure!.Field.ShouldBe(field);
    }

    [Fact]
    public void No_working_day_is_refused()
    {
        BusinessHours.Check("UTC", WorkingDays.None, new TimeOnly(9, 0), new TimeOnly(17, 0)).Failure!.Field.ShouldBe("days");
        BusinessHours.Check("Europe/Berlin", WorkingDays.Weekdays, new TimeOnly(9, 0), new TimeOnly(17, 0)).Value!.Describe()
            .ShouldBe("Mon–Fri 09:00–17:00, Europe/Berlin");
    }
}
