package demo

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/richtext"
	"github.com/newsdesk/newsdesk/internal/vntext"
)

// BulkStore is a store that can take a bulk load of trusted articles.
type BulkStore interface {
	news.Store
	BulkLoad(ctx context.Context, fn func(add func(*news.Article) error) error) error
}

// syllables is the vocabulary of synthetic text: common syllables of
// Vietnamese news, most frequent first, so that picking with a skew toward
// the front gives common and rare terms as real text has.
var syllables = strings.Fields(`
và của các có được trong cho với là những một người đã này thành phố không về
tại đến công năm từ nhiều để ngày trên động hiện đầu hoạt tư dân theo phát
triển quản lý nhà nước xã hội kinh tế văn hóa giáo dục y tế giao thông du lịch
đường xây dựng dự án đất đai môi trường chính quyền phường quận huyện tỉnh
Hải Phòng Dương Kinh Đồ Sơn Kiến An Lê Chân Ngô Quyền Hồng Bàng Thủy Nguyên
cán bộ nhân viên học sinh sinh viên giáo viên bệnh viện trường học chợ cảng
biển sông cầu điện nước an toàn phòng chống thiên tai bão lũ mưa nắng
tháng tuần sáng chiều tối hôm qua nay mai sớm muộn mới cũ lớn nhỏ cao thấp
hội nghị tập huấn thông tin đối ngoại truyền thông báo chí phóng viên tin tức
doanh nghiệp đầu tư vốn ngân sách thuế giá thị trường hàng hóa sản xuất
nông nghiệp công nghiệp dịch vụ thương mại xuất khẩu nhập khẩu lao động việc làm
nghệ thuật lễ hội di sản chùa đình đền rừng cổ phố phường làng xóm
kỷ niệm khánh thành khởi công hoàn thành nâng cấp cải tạo sửa chữa mở rộng
hỗ trợ thanh niên nhập ngũ quân sự quốc phòng an ninh trật tự công an
khám chữa bệnh bác sĩ y sĩ thuốc vắc xin dịch bệnh sức khỏe cộng đồng
chuyển đổi số điện tử trực tuyến dữ liệu phần mềm ứng dụng mạng internet
xe buýt tuyến kết nối Đông Tây Bắc Nam ô tô xe máy tàu hỏa sân bay
ủy ban nhân dân hội đồng sở ban ngành đoàn thể mặt trận tổ quốc
kế hoạch chương trình chính sách quy định nghị quyết quyết định văn bản
kiểm tra thanh tra xử phạt vi phạm hành chính triệu đồng tỷ
gia đình trẻ em phụ nữ người cao tuổi hộ nghèo khó khăn an sinh
thể thao bóng đá giải đấu vận động viên huy chương câu lạc bộ
khoa học công nghệ nghiên cứu sáng tạo khởi nghiệp đổi mới
nhà ở chung cư khu đô thị quy hoạch hạ tầng kỹ thuật cây xanh
ông bà anh chị em đồng chí chủ tịch giám đốc trưởng phó
nhấn mạnh cho biết đề nghị yêu cầu chỉ đạo tổ chức triển khai thực hiện
tích cực hiệu quả chất lượng bền vững toàn diện nhanh chóng kịp thời
`)

// syllableWeights skews picks toward the front of syllables.
func pick(r *rand.Rand) string {
	f := r.Float64()
	return syllables[int(f*f*f*float64(len(syllables)))]
}

func sentence(r *rand.Rand, b *strings.Builder, min, max int) {
	n := min + r.IntN(max-min+1)
	start := b.Len()
	for i := range n {
		if i > 0 {
			if r.IntN(9) == 0 && i < n-1 {
				b.WriteByte(',')
			}
			b.WriteByte(' ')
		}
		b.WriteString(pick(r))
	}
	capitalise(b, start)
}

// capitalise upper-cases the first letter written at or after start.
func capitalise(b *strings.Builder, start int) {
	s := b.String()
	r, size := utf8.DecodeRuneInString(s[start:])
	if up := unicode.ToUpper(r); up != r {
		rest := s[start+size:]
		b.Reset()
		b.WriteString(s[:start])
		b.WriteRune(up)
		b.WriteString(rest)
	}
}

// SyntheticOptions configure Synthetic.
type SyntheticOptions struct {
	N        int                   // articles to write
	Seed     uint64                // random seed; the same seed writes the same corpus
	Span     time.Duration         // publish times spread over this long before End
	End      time.Time             // newest publish time
	Progress func(done, total int) // called every 10,000 articles, and at the end
}

// Synthetic writes N published articles of Vietnamese-like text (titles of
// 8-16 syllables, leads of 25-45, bodies of 4-9 paragraphs, about 300-700
// words), spread over the categories, authors and tags and over Span in time,
// oldest first. An empty store first gets the demo categories, authors and
// tags; 30 more authors and 300 more tags are made when missing.
func Synthetic(ctx context.Context, s BulkStore, o SyntheticOptions) error {
	if o.N <= 0 {
		return errors.New("synthetic: N must be positive")
	}
	if o.Span <= 0 {
		o.Span = 2 * 365 * 24 * time.Hour
	}
	if o.End.IsZero() {
		o.End = time.Now()
	}
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	cats, authors, tags, err := syntheticTaxonomy(ctx, s, r)
	if err != nil {
		return err
	}
	// Leaf categories carry the stories; their parents see them too.
	parent := map[int64]bool{}
	for _, c := range cats {
		if c.ParentID != 0 {
			parent[c.ParentID] = true
		}
	}
	var leaves []int64
	for _, c := range cats {
		if !parent[c.ID] {
			leaves = append(leaves, c.ID)
		}
	}
	base, err := s.CountArticles(ctx, news.ArticleFilter{})
	if err != nil {
		return err
	}
	start := o.End.Add(-o.Span)
	step := o.Span / time.Duration(o.N)
	var title, excerpt, body, text strings.Builder
	return s.BulkLoad(ctx, func(add func(*news.Article) error) error {
		for i := range o.N {
			if err := ctx.Err(); err != nil {
				return err
			}
			title.Reset()
			sentence(r, &title, 8, 16)
			excerpt.Reset()
			sentence(r, &excerpt, 25, 45)
			excerpt.WriteByte('.')
			body.Reset()
			text.Reset()
			for p := range 4 + r.IntN(6) {
				at := text.Len()
				for range 3 + r.IntN(4) {
					if text.Len() > at {
						text.WriteByte(' ')
					}
					sentence(r, &text, 6, 22)
					text.WriteByte('.')
				}
				para := text.String()[at:]
				if p > 0 {
					body.WriteByte('\n')
				}
				body.WriteString("<p>" + para + "</p>")
				text.WriteByte('\n')
			}
			seq := base + i + 1
			a := &news.Article{
				Title:       title.String(),
				Excerpt:     excerpt.String(),
				BodyHTML:    body.String(),
				BodyText:    strings.TrimSuffix(text.String(), "\n"),
				Status:      news.StatusPublished,
				PublishedAt: start.Add(time.Duration(i)*step + time.Duration(r.Int64N(int64(step)+1))).Truncate(time.Second),
				CategoryID:  leaves[r.IntN(len(leaves))],
				AuthorIDs:   []int64{authors[r.IntN(len(authors))]},
				Cover: &news.Image{
					URL:     "https://static.newsdesk.example/synthetic/" + strconv.Itoa(seq) + ".jpg",
					Caption: "Ảnh minh họa", Alt: "Ảnh minh họa", Credit: "Ảnh: newsdesk", Width: 1200, Height: 800,
				},
			}
			a.Slug = vntext.Slugify(a.Title) + "-" + strconv.Itoa(seq)
			if r.IntN(4) == 0 {
				a.AuthorIDs = append(a.AuthorIDs, authors[r.IntN(len(authors))])
			}
			for range 1 + r.IntN(4) {
				a.TagIDs = append(a.TagIDs, tags[r.IntN(len(tags))])
			}
			a.WordCount = vntext.CountWords(a.Title + " " + a.Excerpt + " " + a.BodyText)
			a.ReadingMinutes = richtext.ReadingMinutes(a.WordCount)
			a.CreatedAt = a.PublishedAt
			if err := add(a); err != nil {
				return err
			}
			if o.Progress != nil && ((i+1)%10000 == 0 || i+1 == o.N) {
				o.Progress(i+1, o.N)
			}
		}
		return nil
	})
}

// syntheticTaxonomy makes sure the categories, authors and tags exist and
// returns them (authors and tags as ids).
func syntheticTaxonomy(ctx context.Context, s BulkStore, r *rand.Rand) ([]*news.Category, []int64, []int64, error) {
	cats, err := s.Categories(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(cats) == 0 {
		if err := seedTaxonomy(ctx, s); err != nil {
			return nil, nil, nil, err
		}
		if cats, err = s.Categories(ctx); err != nil {
			return nil, nil, nil, err
		}
	}
	for i := range 30 {
		a := &news.Author{Name: "Phóng viên " + strconv.Itoa(i+1)}
		if err := s.CreateAuthor(ctx, a); err != nil && news.ErrorCode(err) != news.ECONFLICT {
			return nil, nil, nil, err
		}
	}
	for i := range 300 {
		var b strings.Builder
		sentence(r, &b, 2, 3)
		t := &news.Tag{Name: b.String(), Slug: "chu-de-" + strconv.Itoa(i+1)}
		if err := s.CreateTag(ctx, t); err != nil && news.ErrorCode(err) != news.ECONFLICT {
			return nil, nil, nil, err
		}
	}
	authors, err := allIDs(ctx, s.FindAuthors, func(a *news.Author) (int64, string) { return a.ID, a.Slug })
	if err != nil {
		return nil, nil, nil, err
	}
	tags, err := allIDs(ctx, s.FindTags, func(t *news.Tag) (int64, string) { return t.ID, t.Slug })
	return cats, authors, tags, err
}

// seedTaxonomy writes the demo categories, authors and tags, no articles.
func seedTaxonomy(ctx context.Context, w news.Writer) error {
	c, err := Load()
	if err != nil {
		return err
	}
	c.Articles = nil
	return c.write(ctx, w)
}

// allIDs pages through a slug-ordered list and collects every id; key
// returns an item's id and slug.
func allIDs[T any](ctx context.Context, find func(context.Context, news.Page) (*news.List[T], error), key func(*T) (int64, string)) ([]int64, error) {
	var ids []int64
	p := news.Page{Limit: news.MaxPageSize}
	for {
		l, err := find(ctx, p)
		if err != nil {
			return nil, err
		}
		var slug string
		for _, v := range l.Items {
			var id int64
			id, slug = key(v)
			ids = append(ids, id)
		}
		if !l.HasNext {
			return ids, nil
		}
		p.After = &news.Cursor{Slug: slug}
	}
}
