-- Related news ("Tin khác").
--
-- article_related holds the stories an editor pinned under an article (a
-- story package), in order; related_computed the best RelatedStored stories
-- by shared tags, category and title words, refreshed by the store on every
-- write that can change them. Reading an article's list is one indexed query.

CREATE TABLE article_related (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    related_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, related_id)
) WITHOUT ROWID;

CREATE TABLE related_computed (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    related_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    score      REAL    NOT NULL,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
CREATE INDEX related_computed_related ON related_computed (related_id);
CREATE INDEX article_related_related ON article_related (related_id);
