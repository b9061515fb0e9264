# Run: ruby ruby-re2-oracle.rb corpus-rules-if.yml ruby-re2.tsv (from this folder; needs the re2 gem, Debian ruby-re2).
# For every /regex/flags literal of the corpus expressions plus hand-written RE2 cases, records whether RE2 (the engine
# behind GitLab's Gitlab::UntrustedRegexp) accepts it and whether it finds a match in each sample subject. The literal is
# read the way GitLab reads it: "\/" becomes "/", then /(?<regexp>.*)/(?<flags>[ismU]*) with the flags prepended as (?flags).
require 'json'
require 'yaml'
require 're2'
corpus = YAML.safe_load(File.read(ARGV[0]))
texts = corpus['expressions'].map { |e| e['if'] }
literals = texts.flat_map { |t| t.scan(%r{(?<=\s|^|\()/(?:[^/]|\\/)+[^\\]/[ismU]*}) }
literals += ['/^\d+$/', '/^\w+$/', '/^a$/', '/^b$/m', '/a.b/', '/a.b/s', '/(?i)abc/', '/(?U)a+/', '/(?P<y>\d{4})-(?P<m>\d\d)/',
  '/(?<y>\d{4})/', '/[[:upper:]][[:digit:]]/', '/\Qa.b\E/', '/\x{41}\pL/', '/[]a]+/', '/\bword\b/', '/(?=a)/', '/(a)\1/',
  '/a++/', '/[abc/', '/(/', '/[[:nope:]]/', '/\pN+/', '/\p{Greek}/', '/\D\W\S/', '/[\d_]+/', '/\A\z/', '/\z/',
  '/(?s:.)x/', '/(?i:A)b/', '/a{2,}/', '/{x}/', '/a|/', '/\//', '/^$/', '/\Z/', '/\C/', '/[^\n]+/', '/(?m)^b$/', '/\v/',
  '/\123/', '/\0/', '/\12/', '/\1a/', '/\8/', '/\101+/', '/\p{Latin}+/', '/\p{Han}/', '/\p{Cyrillic}/',
  '/\p{^Greek}/', '/\P{L}/', '/\p{Nd}/', '/\p{Any}/', '/[\p{Lu}\d]/', '/\pL\PL/', '/\p{Lu}/i', '/[\w-]+/', '/[a-z&&[^b]]/', '/(?:a)(?#c)/', '/é/i', '/ß/i', '/K/i', '/\x41/']
subjects = ['', 'main', 'master', 'develop', 'feature/ABC-12', 'release/v1.2.3', 'v1.2.3', 'V1.2', 'hotfix-1', 'a', 'ab', 'abc',
  "a\nb", "a\nb\nc", "a\n", 'x a.b y', 'axb', 'AB', '2024-01', '123', '١٢٣', 'héllo', 'a word here', ']]', 'xA1', 'ɛλλάδα',
  'merge_request_event', 'push', 'schedule', 'gitlab-org/gitlab', 'gitlab-org', 'my-group/project', 'Draft: thing',
  "Fix things\n\n[skip tests]", 'renovate/npm-1.x', 'dependabot/npm', '{x}', '/', 'a/b', 'aa', 'É', 'SS', 'k', 'A', 'Ωmega', '漢字', 'Кириллица', "\t", 'AAA', 'A1']
File.open(ARGV[1], 'w') do |f|
  f.puts "# regex literal (JSON)\tRE2 accepts it\tJSON array: for each subject of the header line, whether RE2 finds a match"
  f.puts "#subjects\t#{subjects.to_json}"
  literals.uniq.each do |literal|
    value = literal.gsub('\/', '/')
    m = value.match(%r{\A/(?<regexp>.*)/(?<flags>[ismU]*)\z}m)
    pattern = m[:flags].empty? ? m[:regexp] : "(?#{m[:flags]})#{m[:regexp]}"
    re = RE2::Regexp.new(pattern, log_errors: false)
    results = re.ok? ? subjects.map { |s| re.match?(s) ? true : false } : []
    f.puts "#{literal.to_json}\t#{re.ok?}\t#{results.to_json}"
  end
end
