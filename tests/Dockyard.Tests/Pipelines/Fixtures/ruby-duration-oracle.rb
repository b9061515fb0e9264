# Run: ruby ruby-duration-oracle.rb ruby-durations.tsv (from this folder; needs Debian's ruby-chronic-duration, which is
# GitLab's fork gitlab-chronic-duration). Records ChronicDuration.parse with exceptions on, as GitLab validates
# timeout/start_in/expire_in: seconds, "nil" (zero: invalid in GitLab) or "error".
require 'json'
require 'gitlab_chronic_duration'
ChronicDuration.raise_exceptions = true
inputs = ['3600', '1h 30m', '1h30m', '3 hours', '1 day 2 hrs', '1 week', '1.5 hours', '1:30', '1:02:03', '1 mo', '1 year',
  '1h 30', '2 HOURS', '1 day, 2 hours', '1 day and 2 hours', '0', 'never', 'soon', 'hours', 'one hour', '1 hr and 2 mins',
  '10 minutes 5', '3 fortnights', '1 dy', '2 wks', '1y', '5 secs', '1,5 hours', '  10 minutes  ', '1.5', '-1 h',
  '1 h 2 h', '30m', '1 month', '2 years', '1 hour plus 5 minutes', '1 hour with 5 minutes', '1 mon', '1 minute 30 seconds',
  '3 weeks 2 days', '1:30:00', '90:00', 'an hour', 'a day', 'twenty five minutes', '1 day,2 hours', '1,2 hours',
  '1, 2 hours', '2 and 3', '1 hour 1', '1.5.5 hours', '1..5 hours', '.5 hours', '5. hours', '1 hour;', '1 hour.',
  '(1 hour)', '1 hour + 5 min', '1_000 s', '1e3', 'one', 'hundred minutes', '1 h and', 'and', '', '   ', '1 HR',
  '1 Hours', '1hr30min', '1 d 1 d', '2:3:4:5', '1::2', '1 minute:30', 'hours 2 minutes', '2 minutes hours', 'minutes',
  'and hours', 'two hundred seconds', 'a hundred seconds', 'hundred', 'one hundred and five seconds', 'five hundred',
  'thirty', 'fifteen minutes', '1 hour, 2 minutes', '1 hour , 2', '1 hour ,2 minutes', '2 hours,', '1.5h', '.5h',
  '1h,30m', '2 3 hours', '1 2', '1 hour 2 3', '10 mins', '4 hrs', '1 wk', '7d', '24h', '60 s', '2 days 12 hours',
  '1 day 12:00:00', 'three days', 'twenty', 'one thousand seconds', '1 sec', '12 hours 30 minutes 15 seconds',
  '0 hours', '0.5 minutes', '00:10', '1:00:00:00', '1h 0m', 'sixty minutes', 'ninety nine seconds']
File.open(ARGV[0], 'w') do |f|
  f.puts "# input (JSON)\tgitlab-chronic-duration (Debian ruby-chronic-duration 0.10.6.2) result: seconds, nil (zero) or error"
  inputs.uniq.each do |input|
    result = begin
      value = ChronicDuration.parse(input)
      value.nil? ? 'nil' : value.to_s
    rescue StandardError
      'error'
    end
    f.puts "#{input.to_json}\t#{result}"
  end
end
